import { deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder for RGBA pixels (8 bits a channel, the "Up" filter), so one resvg render of
 * several stacked charts can be cut into one picture per chart: resvg's font loading costs most of a
 * render (≈0.6 s for the CJK fonts), and a document has several charts.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG bytes of `height` rows of `width` RGBA pixels starting at row `top` of `pixels` (a wider image's strip). */
export function encodePngRows(pixels: Buffer, width: number, top: number, height: number): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray((top + y) * stride, (top + y + 1) * stride);
    const out = y * (stride + 1);
    raw[out] = 2; // filter "Up": each byte minus the byte above it
    if (y === 0) row.copy(raw, out + 1);
    else {
      const above = pixels.subarray((top + y - 1) * stride, (top + y) * stride);
      for (let i = 0; i < stride; i++) raw[out + 1 + i] = (row[i]! - above[i]!) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
