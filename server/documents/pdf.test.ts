import { describe, expect, it } from 'vitest';
import { pdfWritable, renderPdf } from './pdf';
import { pdfText } from '../../test/helpers/pdf-text';

describe('PDFs', () => {
  it('write what Helvetica can write and "?" for the rest, on one line', () => {
    expect(pdfWritable('Zoë & <Co> — €5 “ok”')).toBe('Zoë & <Co> — €5 “ok”');
    expect(pdfWritable('東京 Ltd\nline\ttab')).toBe('?? Ltd line tab');
    expect(pdfWritable('emoji 🚀')).toBe('emoji ?');
  });

  it('set every text as typed (a PDF has no markup to escape), tables across pages with their header again', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`L-${String(i).padStart(4, '0')}`, '<b>IDE</b> & co']);
    const bytes = await renderPdf({
      title: 'Certificate <1>',
      subtitle: 'Acme & <Co>',
      blocks: [
        { kind: 'facts', rows: [['Order', 'PO-<1>']] },
        { kind: 'table', columns: [{ header: 'Reference', width: 1 }, { header: 'Product', width: 2 }], rows },
      ],
      footer: 'Footer',
    });
    const pdf = await pdfText(bytes);
    expect(pdf.title).toBe('Certificate <1>');
    expect(pdf.pages).toBeGreaterThan(1);
    expect(pdf.text).toContain('Acme & <Co>');
    expect(pdf.text).toContain('PO-<1>');
    expect(pdf.text).toContain('<b>IDE</b> & co');
    expect(pdf.text).toContain('L-0119');
    expect(pdf.text.split('Reference').length - 1).toBe(pdf.pages);
  });
});
