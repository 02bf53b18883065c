import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
/** pdf.js reads the standard fonts' metrics from here (its package ships them). */
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** The text of every page of a PDF, read back with Mozilla's pdf.js: pages joined by newlines, items by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string; title: string }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const content = await (await pdf.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    const meta = await pdf.getMetadata();
    const title = String((meta.info as { Title?: unknown } | undefined)?.Title ?? '');
    return { pages: pdf.numPages, text: pages.join('\n'), title };
  } finally {
    await pdf.destroy();
  }
}
