import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { logMailer, readableMail } from './mailer';

describe('mail without SMTP (held, printed to the log)', () => {
  it('names each attachment without printing it', async () => {
    const printed: string[] = [];
    const mailer = logMailer(pino({ level: 'info' }, { write: () => {} }), (b) => printed.push(b));
    await mailer.send({
      from: 'Allot <allot@localhost>',
      to: 'lena@x.test',
      subject: 'License certificate for order PO-1',
      text: 'Open the order: http://localhost:8080/o/1/orders/2',
      html: '<p>…</p>',
      messageId: '<m@allot>',
      attachments: [{ filename: 'license-certificate-PO-1.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.3 secret bytes') }],
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Link:    http://localhost:8080/o/1/orders/2');
    expect(printed[0]).toContain('Attached: license-certificate-PO-1.pdf');
    expect(printed[0]).not.toContain('secret bytes');
    expect(readableMail('a@x.test', 'S', [])).not.toContain('Attached');
  });
});
