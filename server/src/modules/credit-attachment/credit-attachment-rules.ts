// What a credit may carry as attachments: the limits (in one place) and the file kinds, told by their bytes.

/** Files one credit may carry. */
export const MAX_ATTACHMENTS_PER_CREDIT = 10;
/** Bytes one file may have: 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Bytes one upload request may carry in all (its files and the multipart framing): two full-size files. */
export const MAX_UPLOAD_BODY_BYTES = 2 * MAX_ATTACHMENT_BYTES + 256 * 1024;
/** Characters kept of a file's name. */
export const MAX_FILE_NAME_LENGTH = 200;

export type AttachmentType = 'image/jpeg' | 'image/png' | 'image/heic' | 'application/pdf';

/** The kinds accepted, as a person names them. */
export const ACCEPTED_KINDS = 'JPEG, PNG, HEIC or PDF';

const EXTENSION: Record<AttachmentType, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'image/heic': '.heic', 'application/pdf': '.pdf' };

/** ISO base media (HEIF) brands of HEIC/HEIF still images and sequences. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);

/**
 * The file's type from its first bytes (its magic number), or null when it is none of JPEG, PNG, HEIC or
 * PDF. The name and the type the client claims are never trusted.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  // HEIC: an ISO BMFF 'ftyp' box first (size, 'ftyp', major brand, minor version, compatible brands).
  if (bytes.length >= 16 && startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) {
    const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    if (size < 16 || size > 4096 || (size - 16) % 4 !== 0) return null;
    const brand = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
    const brands = [brand(8)];
    for (let at = 16; at + 4 <= Math.min(size, bytes.length); at += 4) brands.push(brand(at));
    if (brands.some((b) => HEIF_BRANDS.has(b))) return 'image/heic';
  }
  return null;
}

/**
 * A file name safe to store, show and send back in a Content-Disposition header: the last path segment,
 * printable ASCII letters, digits and . _ - ( ) and spaces (others become _), at most 200 characters, with the
 * extension of its real type (a PDF named photo.jpg is kept as photo.jpg.pdf).
 */
export function cleanFileName(name: string | null | undefined, type: AttachmentType): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  let clean = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._() -]+/g, '_')
    .replace(/^[.\s_]+/, '')
    .trim();
  const extension = EXTENSION[type];
  const lower = clean.toLowerCase();
  const fits = lower.endsWith(extension) || (type === 'image/jpeg' && lower.endsWith('.jpeg')) || (type === 'image/heic' && lower.endsWith('.heif'));
  if (!clean) clean = 'attachment';
  if (!fits) clean = `${clean}${extension}`;
  if (clean.length > MAX_FILE_NAME_LENGTH) clean = `${clean.slice(0, MAX_FILE_NAME_LENGTH - extension.length)}${extension}`;
  return clean;
}

/** "2.5 MB", "812 KB": a size as a person reads it in a message. */
export function readableSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
