import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePngRows } from '../../core/export/png-encode.ts';

/** Decodes what encodePngRows writes (RGBA, 8 bits, filter Up on every row but the first) back to pixels. */
function decode(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25]]).toEqual([8, 6]);
  expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29))); // IHDR's CRC over its type and data
  const idatLength = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i]!;
      pixels[y * stride + i] = filter === 2 && y > 0 ? (v + pixels[(y - 1) * stride + i]!) & 0xff : v;
    }
  }
  expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  return { width, height, pixels };
}

describe('PNG strips of a stacked render', () => {
  it('cuts rows out of a taller image, losslessly', () => {
    const width = 3;
    const full = Buffer.from(Array.from({ length: width * 4 * 5 }, (_, i) => (i * 37) % 256));
    const strip = decode(encodePngRows(full, width, 2, 3));
    expect(strip.width).toBe(3);
    expect(strip.height).toBe(3);
    expect(strip.pixels).toEqual(full.subarray(2 * width * 4, 5 * width * 4));
  });
});
