import { useNavigate } from '@solidjs/router';
import { createEffect, createMemo, createSignal, Show } from 'solid-js';
import { invitationSchema, type Product } from '../../shared/schemas';
import { useSession } from '../session';
import { FormError, SelectField, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { addDays, dayOf } from '../ui/format';
import { Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { createInvitation, expiryFor, LIFETIMES, parseDomains, type Lifetime } from './data';

/** The seed's "Create Invitation" dialog: Product; optionally Name, how long the link stays active, email domains. */
export function CreateInvitationDialog(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  teamId: string;
  products: Product[];
  /** Available licenses of each product in this team (availableByProduct). */
  available: Map<string, number>;
}) {
  const { db, access, org, href } = useSession();
  const navigate = useNavigate();
  const [productId, setProductId] = createSignal('');
  const [name, setName] = createSignal('');
  const [lifetime, setLifetime] = createSignal<Lifetime>('30');
  const [date, setDate] = createSignal(dayOf(addDays(new Date(), 14)));
  const [domains, setDomains] = createSignal('');
  const [maxClaims, setMaxClaims] = createSignal('');
  const [error, setError] = createSignal('');
  // The team's products with seats left come first (most seats first); the others follow, and
  // choosing one says that claims would find no seat.
  const ordered = createMemo(() => {
    const available = props.available;
    const seatsOf = (id: string) => available.get(id) ?? 0;
    return [...props.products].sort((a, b) => seatsOf(b.id) - seatsOf(a.id) || a.name.localeCompare(b.name));
  });
  const seats = () => props.available.get(productId()) ?? 0;
  createEffect(() => {
    if (props.open && !productId() && ordered().length) setProductId(ordered()[0].id);
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!productId()) return setError('Choose a product.');
    const parsed = parseDomains(domains());
    if (!parsed.ok) return setError(`“${parsed.bad}” is not a domain. Use a domain such as example.com or *.example.com.`);
    const allowed = checkField(invitationSchema.entries.allowedDomains, parsed.domains, 'Too many allowed email domains.');
    if (!allowed.ok) return setError(allowed.words);
    let expiresAt: string | undefined;
    try {
      expiresAt = expiryFor(lifetime(), date(), new Date());
    } catch (err) {
      return setError((err as Error).message);
    }
    const max = checkField(
      invitationSchema.entries.maxClaims,
      maxClaims().trim() ? Number(maxClaims()) : undefined,
      'The maximum number of claims is a whole number of at least 1.',
    );
    if (!max.ok) return setError(max.words);
    if (!access.memberId) return setError('Only members of the organization create invitations.');
    const inv = await createInvitation(db, {
      orgId: org.id,
      teamId: props.teamId,
      productId: productId(),
      name: name(),
      expiresAt,
      allowedDomains: allowed.value,
      maxClaims: max.value,
      createdByMemberId: access.memberId,
    });
    notifyChange('Invitation created');
    setName('');
    setDomains('');
    setMaxClaims('');
    props.onOpenChange(false);
    navigate(href(`/invitations/${inv.id}`));
  };
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title="Create Invitation">
      <form onInput={() => setError('')} class="form" onSubmit={submit} noValidate>
        <SelectField
          label="Product"
          value={productId()}
          onChange={setProductId}
          required
          options={ordered().map((p) => ({ value: p.id, label: p.name }))}
          hint={productId() && seats() > 0 ? `${seats()} ${seats() === 1 ? 'seat' : 'seats'} left in this team.` : undefined}
        />
        <Show when={productId() && seats() === 0}>
          <p class="banner banner-warn" role="alert">
            This team has no seats left of this product: until licenses are added or freed, people who open the link are told “No assets left”.
          </p>
        </Show>
        <TextField
          label="Name"
          hint="Optional: for your own reference."
          value={name()}
          maxLength={200}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <SelectField
          label="Link lifetime"
          hint="How long the invitation link stays active."
          value={lifetime()}
          onChange={(v) => setLifetime(v as Lifetime)}
          options={LIFETIMES}
        />
        <Show when={lifetime() === 'date'}>
          <TextField label="Active until" type="date" value={date()} min={dayOf(new Date())} onInput={(e) => setDate(e.currentTarget.value)} />
        </Show>
        <TextField
          label="Allowed email domains"
          hint="Optional: only people with these email domains can claim, e.g. acme.com, or *.acme.org for its sub-domains (not acme.org itself)."
          value={domains()}
          onInput={(e) => setDomains(e.currentTarget.value)}
        />
        <TextField
          label="Maximum number of claims"
          hint="Optional: leave empty for as many as there are licenses."
          type="number"
          min={1}
          inputmode="numeric"
          value={maxClaims()}
          onInput={(e) => setMaxClaims(e.currentTarget.value)}
        />
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}
