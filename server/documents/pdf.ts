/**
 * The PDFs Allot attaches to emails and offers for download (a license certificate, an
 * invoice): a title, labelled facts and tables of plain text, laid out by pdfkit. Text is set in
 * the PDF's standard Helvetica, which writes the Windows-1252 repertoire (Latin scripts); any
 * other character is written as '?' rather than as a missing glyph (pdfWritable).
 */
import PDFDocument from 'pdfkit';

/** One page-wide block of a document. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; rows: readonly (readonly [label: string, value: string])[] }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: readonly { header: string; width: number }[]; rows: readonly (readonly string[])[] };

export interface PdfContent {
  /** The document's title (also its metadata Title). */
  title: string;
  /** A line under the title (who issued it, when). */
  subtitle?: string;
  blocks: readonly PdfBlock[];
  /** Small print at the end. */
  footer?: string;
}

/** Windows-1252's characters beyond Latin-1 (0x80–0x9F), which Helvetica's encoding has too. */
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * The text as the standard fonts can write it: printable ASCII, Latin-1 and Windows-1252's
 * extras stay; line breaks and tabs become spaces; anything else becomes '?'.
 */
export function pdfWritable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\r' || ch === '\t') out += ' ';
    else if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRAS.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

const MARGIN = 56;
const MUTED = '#555555';

/** Renders the content as an A4 PDF; resolves with its bytes. */
export function renderPdf(content: PdfContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: pdfWritable(content.title), Creator: 'Allot', Producer: 'Allot' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const say = (text: string) => pdfWritable(text);

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#111111').text(say(content.title), { width });
  if (content.subtitle) doc.moveDown(0.2).font('Helvetica').fontSize(10).fillColor(MUTED).text(say(content.subtitle), { width });
  doc.moveDown(1);

  for (const block of content.blocks) {
    if (block.kind === 'heading') {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(13).fillColor('#111111').text(say(block.text), MARGIN, undefined, { width });
      doc.moveDown(0.3);
    } else if (block.kind === 'paragraph') {
      doc.font('Helvetica').fontSize(10).fillColor('#222222').text(say(block.text), MARGIN, undefined, { width });
      doc.moveDown(0.5);
    } else if (block.kind === 'facts') {
      const labelWidth = 130;
      for (const [label, value] of block.rows) {
        const y = doc.y;
        doc.font('Helvetica-Bold').fontSize(10).fillColor(MUTED).text(say(label), MARGIN, y, { width: labelWidth });
        const afterLabel = doc.y;
        doc.font('Helvetica').fontSize(10).fillColor('#111111').text(say(value), MARGIN + labelWidth, y, { width: width - labelWidth });
        doc.y = Math.max(doc.y, afterLabel) + 2;
      }
      doc.moveDown(0.5);
    } else {
      table(doc, block, width);
    }
  }
  if (content.footer) {
    doc.moveDown(1).font('Helvetica').fontSize(8).fillColor(MUTED).text(say(content.footer), MARGIN, undefined, { width });
  }
  doc.end();
  return done;
}

/** A table whose columns share the page width in proportion to their `width`; rows break onto new pages with the header again. */
function table(doc: PDFKit.PDFDocument, block: Extract<PdfBlock, { kind: 'table' }>, width: number) {
  const total = block.columns.reduce((n, c) => n + c.width, 0);
  const widths = block.columns.map((c) => (c.width / total) * width);
  const bottom = () => doc.page.height - MARGIN;
  const row = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor(bold ? MUTED : '#111111');
    const texts = cells.map((c) => pdfWritable(c));
    const height = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: widths[i] - 6 })));
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!bold) row(block.columns.map((c) => c.header), true);
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor(bold ? MUTED : '#111111');
    }
    const y = doc.y;
    let x = MARGIN;
    texts.forEach((t, i) => {
      doc.text(t, x, y, { width: widths[i] - 6 });
      x += widths[i];
    });
    doc.y = y + height + 3;
  };
  row(block.columns.map((c) => c.header), true);
  doc.moveTo(MARGIN, doc.y - 1).lineTo(MARGIN + width, doc.y - 1).strokeColor('#cccccc').lineWidth(0.5).stroke();
  for (const r of block.rows) row(r, false);
  doc.x = MARGIN;
  doc.moveDown(0.5);
}
