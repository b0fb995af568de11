/**
 * Image and media-upload components (spec §1.9 Image, ImageCarousel,
 * PhotoPicker/DocumentPicker; Meta "Components" and "Media upload" pages).
 * @module
 */
import type { DynamicString, Dyn } from './dynamic-value.js';

/** A base64 JPEG/PNG image. Max 3 per screen. */
export interface Image {
  type: 'Image';
  src: string;
  width?: Dyn<number>;
  height?: Dyn<number>;
  'scale-type'?: 'cover' | 'contain';
  'aspect-ratio'?: Dyn<number>;
  'alt-text'?: string;
  visible?: Dyn<boolean>;
}

/** One slide of an ImageCarousel. */
export interface CarouselImage {
  src: string;
  'alt-text': string;
}

/** Swipeable images (≥ 7.1): 1–3 images; 2 per screen, 3 per flow. */
export interface ImageCarousel {
  type: 'ImageCarousel';
  images: CarouselImage[] | DynamicString;
  'aspect-ratio'?: '4:3' | '16:9';
  'scale-type'?: 'contain' | 'cover';
  visible?: Dyn<boolean>;
}

/** Where PhotoPicker may take photos from. */
export type PhotoSource = 'camera_gallery' | 'camera' | 'gallery';

/** Shared properties of the two pickers. */
interface PickerBase {
  name: string;
  label: string;
  description?: string;
  /** 1–25600, default 25600. */
  'max-file-size-kb'?: Dyn<number>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  /** A string, or (through data) an object `{ "<media_id>": "message" }`. */
  'error-message'?: string | Record<string, string>;
}

/** Photo upload (≥ 4.0); produces an array of media descriptors (spec §3). One picker per screen. */
export interface PhotoPicker extends PickerBase {
  type: 'PhotoPicker';
  'photo-source'?: PhotoSource;
  'min-uploaded-photos'?: Dyn<number>;
  'max-uploaded-photos'?: Dyn<number>;
}

/** Document upload (≥ 4.0); produces an array of media descriptors (spec §3). */
export interface DocumentPicker extends PickerBase {
  type: 'DocumentPicker';
  'min-uploaded-documents'?: Dyn<number>;
  'max-uploaded-documents'?: Dyn<number>;
  'allowed-mime-types'?: string[] | DynamicString;
}

/** Every image/media component. */
export type MediaComponent = Image | ImageCarousel | PhotoPicker | DocumentPicker;
