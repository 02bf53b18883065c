/**
 * The Allot logo as SVG: an "A" over a row of three seats (two handed out, one
 * available). `maskable` fills the whole square and keeps the mark inside the 80% safe zone, as
 * launchers crop maskable icons to circles and squircles.
 */
export const THEME_COLOR = '#1f3a5f';
export const ACCENT_COLOR = '#0f9d8a';

export function logoSvg(opts: { maskable?: boolean } = {}): string {
  const bg = opts.maskable
    ? `<rect width="512" height="512" fill="${THEME_COLOR}"/>`
    : `<rect x="16" y="16" width="480" height="480" rx="112" fill="${THEME_COLOR}"/>`;
  // The mark is drawn for a 512 box; the maskable one is scaled into the safe zone.
  const scale = opts.maskable ? 0.72 : 1;
  const shift = (512 - 512 * scale) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
${bg}
<g transform="translate(${shift} ${shift}) scale(${scale})">
  <path d="M256 88 L380 376 H324 L256 214 L188 376 H132 Z" fill="#ffffff"/>
  <rect x="200" y="276" width="112" height="34" fill="#ffffff"/>
  <circle cx="196" cy="430" r="20" fill="${ACCENT_COLOR}"/>
  <circle cx="256" cy="430" r="20" fill="${ACCENT_COLOR}"/>
  <circle cx="316" cy="430" r="20" fill="#ffffff" fill-opacity="0.55"/>
</g>
</svg>`;
}
