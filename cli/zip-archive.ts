// The few things the .xlsx push needs of a zip file, over node:zlib: read a part, and write the
// archive back with some parts changed, the others copied as the compressed bytes they are.
// No ZIP64, encryption or compression other than deflate and store: open() answers null on those
// (the caller then goes through exceljs).
import zlib from 'node:zlib';

interface Entry {
  name: string;
  method: number;
  flags: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  versionMadeBy: number;
  /** Where the compressed bytes start. */
  dataOffset: number;
}

export class ZipArchive {
  private readonly replaced = new Map<string, Buffer>();
  private readonly removed = new Set<string>();

  private constructor(
    private readonly buffer: Buffer,
    private readonly entries: Entry[],
    /** Parts already inflated (by workbook-limits.ts, which checks them), each used once instead of inflating it again. */
    private readonly ready = new Map<string, Buffer>(),
  ) {}

  /**
   * The archive's parts, or null when it uses something this reader does not (ZIP64, encryption, another
   * compression). `inflated`: parts already inflated from this buffer, by name.
   */
  static open(buffer: Buffer, inflated?: Map<string, Buffer>): ZipArchive | null {
    const end = findEndOfCentralDirectory(buffer);
    if (end < 0) return null;
    const count = buffer.readUInt16LE(end + 10);
    const offset = buffer.readUInt32LE(end + 16);
    if (count === 0xffff || offset === 0xffffffff) return null;
    const entries: Entry[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== 0x02014b50) return null;
      const flags = buffer.readUInt16LE(at + 8);
      const method = buffer.readUInt16LE(at + 10);
      const compressedSize = buffer.readUInt32LE(at + 20);
      const size = buffer.readUInt32LE(at + 24);
      const nameLength = buffer.readUInt16LE(at + 28);
      const extraLength = buffer.readUInt16LE(at + 30);
      const commentLength = buffer.readUInt16LE(at + 32);
      const local = buffer.readUInt32LE(at + 42);
      if (flags & 1 || (method !== 0 && method !== 8) || compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) return null;
      if (local + 30 > buffer.length || buffer.readUInt32LE(local) !== 0x04034b50) return null;
      const dataOffset = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
      if (dataOffset + compressedSize > buffer.length) return null;
      entries.push({
        name: buffer.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength),
        method,
        flags,
        time: buffer.readUInt16LE(at + 12),
        date: buffer.readUInt16LE(at + 14),
        crc: buffer.readUInt32LE(at + 16),
        compressedSize,
        size,
        externalAttributes: buffer.readUInt32LE(at + 38),
        versionMadeBy: buffer.readUInt16LE(at + 4),
        dataOffset,
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(buffer, entries, inflated);
  }

  get names(): string[] {
    return this.entries.filter((e) => !this.removed.has(e.name)).map((e) => e.name);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name && !this.removed.has(name));
  }

  /** A part as text (UTF-8), or undefined when there is none. */
  async text(name: string): Promise<string | undefined> {
    const replaced = this.replaced.get(name);
    if (replaced) return replaced.toString('utf8');
    if (this.removed.has(name)) return undefined;
    return this.inflate(name);
  }

  /** Starts inflating parts in the background (zlib's threads), for a text() that will ask for them. */
  prefetch(names: string[]): void {
    for (const name of names) void this.inflate(name).catch(() => undefined);
  }

  private readonly inflated = new Map<string, Promise<string | undefined>>();

  private inflate(name: string): Promise<string | undefined> {
    let text = this.inflated.get(name);
    const ready = !text && this.ready.get(name);
    if (ready) {
      this.ready.delete(name);
      text = Promise.resolve(ready.toString('utf8'));
      this.inflated.set(name, text);
    }
    if (!text) {
      const entry = this.entries.find((e) => e.name === name);
      const data = entry && this.buffer.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
      text = !entry
        ? Promise.resolve(undefined)
        : entry.method === 0
          ? Promise.resolve(data!.toString('utf8'))
          : // One output chunk of the part's size: zlib's default 16 KB chunks cost a callback on this thread each.
            new Promise<string>((resolve, reject) =>
              zlib.inflateRaw(data!, { chunkSize: Math.max(64 * 1024, entry.size) }, (e, r) => (e ? reject(e) : resolve(r.toString('utf8')))),
            );
      this.inflated.set(name, text);
    }
    return text;
  }

  /** Replaces an existing part (written by toBuffer): text, or its UTF-8 bytes. */
  set(name: string, content: string | Buffer): void {
    if (!this.has(name)) throw new Error(`no part ${name} in the archive`);
    this.replaced.set(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }

  remove(name: string): void {
    this.removed.add(name);
  }

  /** The archive with its changes: changed parts deflated (fastest level), the others copied byte for byte. */
  async toBuffer(): Promise<Buffer> {
    const kept = this.entries.filter((e) => !this.removed.has(e.name));
    const compressed = await Promise.all(
      kept.map(async (entry) => {
        const raw = this.replaced.get(entry.name);
        if (!raw) return null;
        const deflated = new Promise<Buffer>((resolve, reject) =>
          zlib.deflateRaw(raw, { level: 1, chunkSize: Math.max(64 * 1024, raw.length) }, (e, r) => (e ? reject(e) : resolve(r))),
        );
        // The checksum here while zlib's thread deflates.
        const crc = zlib.crc32(raw);
        return { data: await deflated, crc, size: raw.length };
      }),
    );
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    kept.forEach((entry, i) => {
      const changed = compressed[i];
      const name = Buffer.from(entry.name, 'utf8');
      const data = changed ? changed.data : this.buffer.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
      const method = changed ? 8 : entry.method;
      const crc = changed ? changed.crc : entry.crc;
      const size = changed ? changed.size : entry.size;
      // Sizes are in the header: no data descriptor; names are written as UTF-8.
      const flags = (entry.flags & ~0x0008) | 0x0800;
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(entry.time, 10);
      local.writeUInt16LE(entry.date, 12);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(entry.versionMadeBy, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(flags, 8);
      header.writeUInt16LE(method, 10);
      header.writeUInt16LE(entry.time, 12);
      header.writeUInt16LE(entry.date, 14);
      header.writeUInt32LE(crc >>> 0, 16);
      header.writeUInt32LE(data.length, 20);
      header.writeUInt32LE(size, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(entry.externalAttributes >>> 0, 38);
      header.writeUInt32LE(offset, 42);
      parts.push(local, name, data);
      central.push(header, name);
      offset += 30 + name.length + data.length;
    });
    const centralSize = central.reduce((sum, b) => sum + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(kept.length, 8);
    end.writeUInt16LE(kept.length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...parts, ...central, end]);
  }
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) if (buffer.readUInt32LE(at) === 0x06054b50) return at;
  return -1;
}
