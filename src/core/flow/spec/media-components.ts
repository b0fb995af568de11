/**
 * PhotoPicker and DocumentPicker (Meta, "Media upload"; spec §1.9, §3).
 * Label limit: 80 characters per the media page (pywa says 30; unconfirmed).
 * @module
 */
import { component, enabled, inputName, visible, type ComponentSpec } from './common-props.js';
import { arr, int, prop, str } from './prop-spec.js';

/** MIME types DocumentPicker `allowed-mime-types` may list. */
export const DOCUMENT_MIME_TYPES = [
  'application/gzip',
  'application/msword',
  'application/pdf',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/x-7z-compressed',
  'application/zip',
  'image/avif',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/webp',
  'text/plain',
  'video/mp4',
  'video/mpeg',
] as const;

const common = {
  name: inputName,
  label: str({ required: true, dyn: true, maxChars: 80 }),
  description: str({ dyn: true, maxChars: 300 }),
  'max-file-size-kb': int({ dyn: true, min: 1, max: 25600 }),
  enabled,
  visible,
  'error-message': prop(['string', 'object'], { dyn: true }),
};

/** PhotoPicker and DocumentPicker (both ≥4.0). */
export const MEDIA_COMPONENTS: readonly ComponentSpec[] = [
  component('PhotoPicker', '4.0', {
    ...common,
    'photo-source': str({ dyn: true, enum: ['camera_gallery', 'camera', 'gallery'] }),
    'min-uploaded-photos': int({ dyn: true, min: 0, max: 30 }),
    'max-uploaded-photos': int({ dyn: true, min: 1, max: 30 }),
  }),
  component('DocumentPicker', '4.0', {
    ...common,
    'min-uploaded-documents': int({ dyn: true, min: 0, max: 30 }),
    'max-uploaded-documents': int({ dyn: true, min: 1, max: 30 }),
    'allowed-mime-types': arr(str({ enum: DOCUMENT_MIME_TYPES }), { dyn: true }),
  }),
];
