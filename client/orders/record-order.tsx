import { useNavigate } from '@solidjs/router';
import { createEffect, createSignal, For, Index, Show } from 'solid-js';
import { orderSchema, type Contact, type Product, type Team } from '../../shared/schemas';
import { useSession } from '../session';
import { Checkbox, FormError, SelectField, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { addDays, byName, dayOf } from '../ui/format';
import { Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { recordOrder, type TeamChoice } from './data';

type Line = { productId: string; quantity: string };

/** The licensee and billing person of an order, checked with the order schema's `licensee` rules. */
const checkParty = (name: string, email: string, words: string) =>
  checkField(orderSchema.entries.licensee.wrapped, { name, email }, words);

/** "Record order": products × quantity, a team (existing, new, or none), licensee and billing contacts. */
export function RecordOrderDialog(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  products: Product[];
  teams: Team[];
  contacts: Contact[];
}) {
  const { db, org, href } = useSession();
  const navigate = useNavigate();
  const [reference, setReference] = createSignal('');
  const [lines, setLines] = createSignal<Line[]>([{ productId: '', quantity: '1' }]);
  const [teamKind, setTeamKind] = createSignal<TeamChoice['kind']>('none');
  const [teamId, setTeamId] = createSignal('');
  const [teamName, setTeamName] = createSignal('');
  const [licName, setLicName] = createSignal('');
  const [licEmail, setLicEmail] = createSignal('');
  const [sameBilling, setSameBilling] = createSignal(true);
  const [billName, setBillName] = createSignal('');
  const [billEmail, setBillEmail] = createSignal('');
  const [validUntil, setValidUntil] = createSignal(dayOf(addDays(new Date(), 365)));
  const [error, setError] = createSignal('');

  createEffect(() => {
    if (props.open && props.products.length && lines().every((l) => !l.productId)) {
      setLines([{ productId: props.products[0].id, quantity: '1' }]);
    }
  });
  const productOptions = () => [...props.products].sort(byName).map((p) => ({ value: p.id, label: p.name }));
  const setLine = (i: number, patch: Partial<Line>) => setLines(lines().map((l, j) => (j === i ? { ...l, ...patch } : l)));
  /** Picking a known email fills the name: the order's contacts are usually already contacts. */
  const fillName = (email: string, setName: (v: string) => void, current: string) => {
    const c = props.contacts.find((x) => x.email === email.trim().toLowerCase());
    if (c && !current) setName(c.name);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    // The order schema's own rules (shared/schemas/orders.ts), as the server applies them on push.
    const ref = checkField(orderSchema.entries.reference, reference(), 'Enter the order reference.');
    if (!ref.ok) return setError(ref.words);
    const lineWords = 'Each line needs a product and a quantity of at least 1.';
    const parsed = lines().map((l) => ({ productId: l.productId, quantity: Number(l.quantity) }));
    if (parsed.some((l) => !l.productId)) return setError(lineWords);
    const orderLines = checkField(orderSchema.entries.lines, parsed, lineWords);
    if (!orderLines.ok) return setError(orderLines.words);
    const licensee = checkParty(licName(), licEmail(), 'Enter the licensee’s name and email.');
    if (!licensee.ok) return setError(licensee.words);
    const billing = sameBilling() ? undefined : checkParty(billName(), billEmail(), 'Enter the billing contact’s name and email.');
    if (billing && !billing.ok) return setError(billing.words);
    if (teamKind() === 'existing' && !teamId()) return setError('Choose the team.');
    const team: TeamChoice =
      teamKind() === 'existing' ? { kind: 'existing', teamId: teamId() } : teamKind() === 'new' ? { kind: 'new', name: teamName() } : { kind: 'none' };
    const order = await recordOrder(db, {
      orgId: org.id,
      reference: ref.value,
      lines: orderLines.value,
      team,
      licensee: licensee.value,
      billing: billing?.value,
      validUntil: validUntil(),
    });
    notifyChange(`Order ${order.reference} recorded`);
    props.onOpenChange(false);
    setReference('');
    setLines([{ productId: props.products[0]?.id ?? '', quantity: '1' }]);
    setLicName('');
    setLicEmail('');
    setBillName('');
    setBillEmail('');
    setSameBilling(true);
    navigate(href(`/orders/${order.id}`));
  };

  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title="Record order" wide>
      <form onInput={() => setError('')} class="form" onSubmit={submit} noValidate>
        <datalist id="contact-emails">
          <For each={props.contacts}>{(c) => <option value={c.email}>{c.name}</option>}</For>
        </datalist>
        <div class="form-grid">
          <TextField label="Order reference" value={reference()} maxLength={60} onInput={(e) => setReference(e.currentTarget.value)} required />
          <TextField label="Valid until" type="date" value={validUntil()} onInput={(e) => setValidUntil(e.currentTarget.value)} required />
        </div>
        <fieldset class="fieldset">
          <legend>Products</legend>
          <Index each={lines()}>
            {(line, i) => (
              <div class="line-row">
                <SelectField
                  label={`Product ${i + 1}`}
                  value={line().productId}
                  onChange={(v) => setLine(i, { productId: v })}
                  options={productOptions()}
                />
                <TextField
                  label={`Quantity ${i + 1}`}
                  type="number"
                  min={1}
                  inputmode="numeric"
                  value={line().quantity}
                  onInput={(e) => setLine(i, { quantity: e.currentTarget.value })}
                />
                <Show when={lines().length > 1}>
                  <button
                    type="button"
                    class="button button-small button-ghost"
                    aria-label={`Remove product ${i + 1}`}
                    onClick={() => setLines(lines().filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </Show>
              </div>
            )}
          </Index>
          <button
            type="button"
            class="button button-small"
            onClick={() => setLines([...lines(), { productId: props.products[0]?.id ?? '', quantity: '1' }])}
          >
            Add product
          </button>
        </fieldset>
        <fieldset class="fieldset">
          <legend>Team</legend>
          <div class="radio-row" role="radiogroup" aria-label="Team for the licenses">
            <For
              each={[
                // Only someone who sees the organization's teams may put the licenses into one (a partner may not).
                ...(props.teams.length ? [{ v: 'existing', l: 'An existing team' } as const] : []),
                { v: 'new', l: 'A new team' } as const,
                { v: 'none', l: 'No team (named after the reference)' } as const,
              ]}
            >
              {(o) => (
                <label class="radio">
                  <input type="radio" name="team-kind" value={o.v} checked={teamKind() === o.v} onChange={() => setTeamKind(o.v)} />
                  {o.l}
                </label>
              )}
            </For>
          </div>
          <Show when={teamKind() === 'existing'}>
            <SelectField
              label="Existing team"
              value={teamId()}
              onChange={setTeamId}
              options={[{ value: '', label: 'Choose a team' }, ...[...props.teams].sort(byName).map((t) => ({ value: t.id, label: t.name }))]}
            />
          </Show>
          <Show when={teamKind() === 'new'}>
            <TextField
              label="New team name"
              hint="Leave empty to name it after the order reference."
              value={teamName()}
              onInput={(e) => setTeamName(e.currentTarget.value)}
            />
          </Show>
          <Show when={teamKind() === 'none'}>
            <p class="field-hint">A team named after the order reference is created for these licenses.</p>
          </Show>
        </fieldset>
        <fieldset class="fieldset">
          <legend>Licensee contact</legend>
          <p class="field-hint">Receives the license certificate; added to Contacts as an order-specific contact.</p>
          <div class="form-grid">
            <TextField
              label="Licensee email"
              type="email"
              list="contact-emails"
              value={licEmail()}
              onInput={(e) => setLicEmail(e.currentTarget.value)}
              onChange={(e) => fillName(e.currentTarget.value, setLicName, licName())}
              required
            />
            <TextField label="Licensee name" value={licName()} onInput={(e) => setLicName(e.currentTarget.value)} required />
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend>Billing contact</legend>
          <Checkbox label="The billing contact is the licensee" checked={sameBilling()} onChange={setSameBilling} />
          <Show when={!sameBilling()}>
            <div class="form-grid">
              <TextField
                label="Billing email"
                type="email"
                list="contact-emails"
                value={billEmail()}
                onInput={(e) => setBillEmail(e.currentTarget.value)}
                onChange={(e) => fillName(e.currentTarget.value, setBillName, billName())}
                required
              />
              <TextField label="Billing name" value={billName()} onInput={(e) => setBillName(e.currentTarget.value)} required />
            </div>
          </Show>
        </fieldset>
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Record order
          </button>
        </div>
      </form>
    </Modal>
  );
}
