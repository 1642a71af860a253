import { Resvg } from '@resvg/resvg-js';

/**
 * SVG to PNG with resvg (Rust, prebuilt for the platform inside the npm package). Text needs
 * a TrueType font on the machine: DejaVu Sans (Debian's fonts-dejavu-core) or Liberation Sans;
 * without one the bars and lines still draw, the words do not.
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
