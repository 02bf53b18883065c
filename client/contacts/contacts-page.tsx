import { createMemo, createSignal, For } from 'solid-js';
import { CONTACT_ROLES, contactSchema, NOTIFICATION_ROLES, PRIMARY_ROLES, ROLE_NAMES, type Contact, type ContactRole } from '../../shared/schemas';
import { membersOf } from '../members/data';
import { ordersOf } from '../orders/data';
import { useSession } from '../session';
import { PendingBadge, StatusBadge } from '../ui/badges';
import { Checkbox, FormError, PageHeader, SearchField, SelectField, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { Modal } from '../ui/modal';
import { notify } from '../ui/toast';
import { VirtualTable } from '../ui/virtual-table';
import {
  addContact,
  contactKind,
  contactsOf,
  filterContacts,
  KIND_NAMES,
  setContactDisabled,
  setRole,
  type ContactKind,
} from './data';
import { ReceiversTable, RoleTable } from './role-table';

function RolesDialog(props: { contact: Contact | undefined; onClose: () => void }) {
  const { db } = useSession();
  const group = (title: string, roles: readonly ContactRole[]) => (
    <fieldset class="fieldset">
      <legend>{title}</legend>
      <For each={roles}>
        {(r) => (
          <Checkbox
            label={ROLE_NAMES[r]}
            checked={!!props.contact?.roles.includes(r)}
            onChange={(on) => setRole(db, props.contact!.id, r, on)}
          />
        )}
      </For>
    </fieldset>
  );
  return (
    <Modal
      open={!!props.contact}
      onOpenChange={(o) => !o && props.onClose()}
      title={`Roles of ${props.contact?.name ?? ''}`}
      description="Changes are saved at once and sync when you are online."
    >
      {group('Primary contact roles', PRIMARY_ROLES)}
      {group('Notifications-only contact roles', NOTIFICATION_ROLES)}
      <div class="form-actions">
        <button type="button" class="button button-primary" onClick={() => props.onClose()}>
          Done
        </button>
      </div>
    </Modal>
  );
}

function AddContactDialog(props: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const { db, org } = useSession();
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [roles, setRoles] = createSignal<ContactRole[]>([]);
  const [error, setError] = createSignal('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const checkedName = checkField(contactSchema.entries.name, name(), 'Enter a name.');
    if (!checkedName.ok) return setError(checkedName.words);
    const address = checkField(contactSchema.entries.email, email(), 'Enter a valid email address.');
    if (!address.ok) return setError(address.words);
    await addContact(db, org.id, { name: checkedName.value, email: address.value, roles: roles() });
    notify(`${checkedName.value} was added to Contacts`);
    setName('');
    setEmail('');
    setRoles([]);
    setError('');
    props.onOpenChange(false);
  };
  return (
    <Modal open={props.open} onOpenChange={props.onOpenChange} title="Add contact">
      <form onSubmit={submit} class="form">
        <TextField label="Name" value={name()} onInput={(e) => setName(e.currentTarget.value)} required autocomplete="off" />
        <TextField
          label="Email"
          type="email"
          value={email()}
          onInput={(e) => setEmail(e.currentTarget.value)}
          required
          autocomplete="off"
        />
        <fieldset class="fieldset">
          <legend>Roles</legend>
          <For each={CONTACT_ROLES}>
            {(r) => (
              <Checkbox
                label={ROLE_NAMES[r]}
                checked={roles().includes(r)}
                onChange={(on) => setRoles(on ? [...roles(), r] : roles().filter((x) => x !== r))}
              />
            )}
          </For>
        </fieldset>
        <FormError message={error()} />
        <div class="form-actions">
          <button type="submit" class="button button-primary">
            Add contact
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function ContactsPage() {
  const { db } = useSession();
  const contacts = contactsOf(db);
  const members = membersOf(db);
  const orders = ordersOf(db);
  const refs = createMemo(() => new Map(orders().map((o) => [o.id, o.reference])));
  const [text, setText] = createSignal('');
  const [role, setRoleFilter] = createSignal<ContactRole | ''>('');
  const [kind, setKind] = createSignal<ContactKind | ''>('');
  const [editing, setEditing] = createSignal<string | null>(null);
  const [adding, setAdding] = createSignal(false);
  const shown = createMemo(() => filterContacts(contacts(), { text: text(), role: role(), kind: kind() }));
  // A memo, and no search while no dialog is open: the dialog reads it several times, and
  // each search walks the whole list again on every change of any contact.
  const editingContact = createMemo(() => {
    const id = editing();
    return id === null ? undefined : contacts().find((c) => c.id === id);
  });

  return (
    <div class="page">
      <PageHeader
        title="Contacts"
        subtitle="Contacts receive notifications about the organization’s products and licenses. Depending on the role, they may also have access to certain account areas."
      >
        <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
          Add contact
        </button>
      </PageHeader>
      <div class="toolbar" role="search">
        <SearchField label="Filter contacts" value={text()} onInput={setText} placeholder="Name or email" />
        <SelectField
          compact
          label="Role"
          value={role()}
          onChange={(v) => setRoleFilter(v as ContactRole | '')}
          options={[{ value: '', label: 'All roles' }, ...CONTACT_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))]}
        />
        <SelectField
          compact
          label="Kind"
          value={kind()}
          onChange={(v) => setKind(v as ContactKind | '')}
          options={[
            { value: '', label: 'All kinds' },
            { value: 'order-specific', label: KIND_NAMES['order-specific'] },
            { value: 'primary', label: KIND_NAMES.primary },
            { value: 'notifications-only', label: KIND_NAMES['notifications-only'] },
          ]}
        />
        <p class="toolbar-count" aria-live="polite">
          {shown().length} of {contacts().length} contacts
        </p>
      </div>
      <VirtualTable
        label="Contacts"
        rows={shown()}
        rowHeight={60}
        empty="No contacts match these filters."
        columns={[
          {
            header: 'Name',
            width: 'minmax(9rem, 1.3fr)',
            cell: (c) => (
              <span class="cell-stack">
                <span class="strong">{c.name}</span>
                <span class="muted small">
                  {KIND_NAMES[contactKind(c)]} <PendingBadge seq={c.seq} />
                </span>
              </span>
            ),
          },
          { header: 'Email', width: 'minmax(10rem, 1.4fr)', cell: (c) => <span class="truncate">{c.email}</span> },
          {
            header: 'Roles',
            width: 'minmax(10rem, 2fr)',
            cell: (c) => (
              <span class="chips">
                <For each={c.roles} fallback={<span class="muted">—</span>}>
                  {(r) => <span class="chip">{ROLE_NAMES[r]}</span>}
                </For>
              </span>
            ),
          },
          {
            header: 'Orders',
            width: '7rem',
            optional: true,
            cell: (c) => (
              <span class="truncate" title={c.orderIds.map((id) => refs().get(id) ?? id).join(', ')}>
                {c.orderIds.length ? c.orderIds.map((id) => refs().get(id) ?? '…').join(', ') : '—'}
              </span>
            ),
          },
          {
            header: 'Status',
            width: '6rem',
            cell: (c) => (c.disabled ? <StatusBadge tone="muted">Disabled</StatusBadge> : <StatusBadge tone="ok">Active</StatusBadge>),
          },
          {
            header: 'Actions',
            width: '11rem',
            cell: (c) => (
              <span class="row-actions">
                <button type="button" class="button button-small" aria-label={`Change roles of ${c.name}`} onClick={() => setEditing(c.id)}>
                  Roles
                </button>
                <button
                  type="button"
                  class="button button-small"
                  classList={{ 'button-danger-ghost': !c.disabled }}
                  aria-label={`${c.disabled ? 'Enable' : 'Disable'} ${c.name}`}
                  onClick={async () => {
                    await setContactDisabled(db, c.id, !c.disabled);
                    notify(`${c.name} ${c.disabled ? 'enabled' : 'disabled'}`);
                  }}
                >
                  {c.disabled ? 'Enable' : 'Disable'}
                </button>
              </span>
            ),
          },
        ]}
      />
      <RolesDialog contact={editingContact()} onClose={() => setEditing(null)} />
      <AddContactDialog open={adding()} onOpenChange={setAdding} />
      <div class="grid-2">
        <RoleTable />
        <ReceiversTable contacts={contacts()} members={members()} />
      </div>
    </div>
  );
}
