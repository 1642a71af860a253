import zlib from 'node:zlib';

/**
 * The Teams app icons, drawn in code so the repository needs no binary tooling: a ring of
 * twelve stars-as-dots, the EU emblem's shape. Teams wants a 192×192 full-colour icon and a
 * 32×32 outline icon that is white on transparent.
 */

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA image as a PNG file (8-bit truecolour with alpha, no filtering). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** How much of a pixel the ring of dots covers, 0..1, by 4×4 supersampling for smooth edges. */
function ringCoverage(x: number, y: number, size: number, ringRadius: number, dotRadius: number): number {
  const c = size / 2;
  const dots = Array.from({ length: 12 }, (_, i) => {
    const a = (i * Math.PI) / 6;
    return [c + ringRadius * Math.sin(a), c - ringRadius * Math.cos(a)] as const;
  });
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      if (dots.some(([dx, dy]) => (px - dx) ** 2 + (py - dy) ** 2 <= dotRadius ** 2)) hits++;
    }
  }
  return hits / 16;
}

const EU_BLUE: Rgba = [0x00, 0x33, 0x99, 0xff];
const EU_YELLOW: Rgba = [0xff, 0xcc, 0x00, 0xff];

/** 192×192, yellow dots on EU blue, edge to edge as Teams shows it in a tile. */
export function colorIcon(): Buffer {
  return encodePng(192, 192, (x, y) => {
    const k = ringCoverage(x, y, 192, 58, 11);
    return EU_BLUE.map((b, i) => (i === 3 ? 0xff : Math.round(b + (EU_YELLOW[i]! - b) * k))) as Rgba;
  });
}

/** 32×32, white dots on transparent, as Teams requires for the outline icon. */
export function outlineIcon(): Buffer {
  return encodePng(32, 32, (x, y) => [0xff, 0xff, 0xff, Math.round(0xff * ringCoverage(x, y, 32, 11, 2.4))]);
}
