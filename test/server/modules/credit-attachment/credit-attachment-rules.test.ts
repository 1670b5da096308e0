import { describe, expect, it } from 'vitest';
import {
  cleanFileName,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_CREDIT,
  sniffAttachmentType,
} from '../../../../server/src/modules/credit-attachment/credit-attachment-rules';

const bytes = (...values: Array<number | string>) =>
  Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));
/** An ISO BMFF 'ftyp' box: size, 'ftyp', major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return Buffer.concat([Buffer.from([0, 0, 0, size]), Buffer.from(`ftyp${major}`, 'latin1'), Buffer.alloc(4), Buffer.from(compatible.join(''), 'latin1')]);
};

describe('credit attachment rules', () => {
  it('keeps the limits in one place: 10 files of 10 MB', () => {
    expect(MAX_ATTACHMENTS_PER_CREDIT).toBe(10);
    expect(MAX_ATTACHMENT_BYTES).toBe(10 * 1024 * 1024);
  });

  it('tells JPEG, PNG, HEIC and PDF by their first bytes', () => {
    expect(sniffAttachmentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(sniffAttachmentType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'IHDR'))).toBe('image/png');
    expect(sniffAttachmentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj', 'latin1'))).toBe('application/pdf');
    expect(sniffAttachmentType(ftyp('heic', 'mif1', 'heic'))).toBe('image/heic');
    // An iPhone's HEIF may carry the generic brand first and heic among the compatible ones.
    expect(sniffAttachmentType(ftyp('mif1', 'miaf', 'heic'))).toBe('image/heic');
  });

  it('refuses anything else, whatever it claims: HTML, SVG, a script, an MP4, a GIF, a truncated signature, nothing', () => {
    for (const file of [
      Buffer.from('<html><script>alert(1)</script></html>'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('#!/bin/sh\nrm -rf /'),
      ftyp('isom', 'iso2', 'mp41'),
      Buffer.from('GIF89a'),
      bytes(0xff, 0xd8),
      bytes(0x89, 'PNG'),
      Buffer.from('%PD'),
      Buffer.alloc(0),
      // An ftyp box whose size is nonsense is no HEIC.
      Buffer.concat([Buffer.from([0xff, 0, 0, 0]), Buffer.from('ftypheic'), Buffer.alloc(8)]),
    ]) {
      expect(sniffAttachmentType(file), file.toString('latin1')).toBeNull();
    }
  });

  it('cleans file names: last path segment, safe characters, the real type as extension, at most 200 characters', () => {
    expect(cleanFileName('IMG_0042.JPG', 'image/jpeg')).toBe('IMG_0042.JPG');
    expect(cleanFileName('box photo.jpeg', 'image/jpeg')).toBe('box photo.jpeg');
    expect(cleanFileName('C:\\Users\\ana\\Desktop\\daño "rosas".png', 'image/png')).toBe('dano _rosas_.png');
    expect(cleanFileName('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(cleanFileName('invoice.pdf.html', 'application/pdf')).toBe('invoice.pdf.html.pdf');
    expect(cleanFileName('photo.jpg', 'application/pdf')).toBe('photo.jpg.pdf');
    expect(cleanFileName('', 'image/heic')).toBe('attachment.heic');
    expect(cleanFileName('...', 'image/heic')).toBe('attachment.heic');
    expect(cleanFileName('a\r\nContent-Type: text;.png', 'image/png')).toBe('a_Content-Type_ text_.png');
    const long = cleanFileName(`${'x'.repeat(500)}.png`, 'image/png');
    expect(long).toHaveLength(200);
    expect(long.endsWith('.png')).toBe(true);
  });
});
