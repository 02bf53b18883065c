import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { CONTACT_ROLES, contactSchema, NOTIFICATION_ROLES, PRIMARY_ROLES, ROLE_NAMES, type Contact, type ContactRole, type Order } from '../../shared/schemas';
import { membersOf } from '../members/data';
import { ordersOf } from '../orders/data';
import { useSession } from '../session';
import { PendingLine, StatusBadge } from '../ui/badges';
import { Checkbox, FormError, PageHeader, SearchField, SelectField, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { Confirm, Modal } from '../ui/modal';
import { notifyChange } from '../ui/toast';
import { DuplicateContacts } from './duplicates';
import { VirtualTable } from '../ui/virtual-table';
import {
  addContact,
  contactKind,
  contactWithAddress,
  deleteContact,
  ordersNaming,
  receivesNothing,
  updateContact,
  contactsOf,
  filterContacts,
  KIND_NAMES,
  setContactDisabled,
  type ContactKind,
} from './data';
import { ReceiversTable, RoleTable } from './role-table';

/** The roles as two groups of checkboxes (primary, notifications-only), as the seed names them. */
function RoleChoices(props: { roles: ContactRole[]; onChange: (roles: ContactRole[]) => void }) {
  const group = (title: string, roles: readonly ContactRole[]) => (
    <fieldset class="fieldset">
      <legend>{title}</legend>
      <For each={roles}>
        {(r) => (
          <Checkbox
            label={ROLE_NAMES[r]}
            checked={props.roles.includes(r)}
            onChange={(on) => props.onChange(on ? [...props.roles, r] : props.roles.filter((x) => x !== r))}
          />
        )}
      </For>
    </fieldset>
  );
  return (
    <>
      {group('Primary contact roles', PRIMARY_ROLES)}
      {group('Notifications-only contact roles', NOTIFICATION_ROLES)}
    </>
  );
}

/**
 * Add contact, and Edit of an existing one (name, email and roles in one dialog, with Cancel).
 * Checks what the server checks before anything is written: the shared address rule and one
 * contact per address; and asks before saving a contact that would receive nothing.
 */
function ContactDialog(props: { open: boolean; contact?: Contact; contacts: Contact[]; onClose: () => void }) {
  const { db, org } = useSession();
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [roles, setRoles] = createSignal<ContactRole[]>([]);
  const [error, setError] = createSignal('');
  const [askNoRole, setAskNoRole] = createSignal(false);
  // Each opening starts from the contact as stored (or empty for a new one).
  createEffect(
    on(
      () => [props.open, props.contact?.id] as const,
      ([open]) => {
        if (!open) return;
        setName(props.contact?.name ?? '');
        setEmail(props.contact?.email ?? '');
        setRoles(props.contact?.roles ?? []);
        setError('');
        setAskNoRole(false);
      },
    ),
  );
  const editing = () => !!props.contact;
  const save = async (confirmedNoRole: boolean) => {
    const checkedName = checkField(contactSchema.entries.name, name(), 'Enter a name.');
    if (!checkedName.ok) return setError(checkedName.words);
    const address = checkField(contactSchema.entries.email, email(), 'Enter a valid email address.');
    if (!address.ok) return setError(address.words);
    const twin = contactWithAddress(props.contacts, address.value, props.contact?.id);
    if (twin) return setError(`${twin.name} already has the address ${twin.email}: one contact per address.`);
    if (!confirmedNoRole && receivesNothing({ roles: roles(), orderIds: props.contact?.orderIds ?? [] })) {
      setError('');
      return setAskNoRole(true);
    }
    if (props.contact) {
      await updateContact(db, props.contact.id, { name: checkedName.value, email: address.value, roles: roles() });
      notifyChange(`${checkedName.value} saved`);
    } else {
      await addContact(db, org.id, { name: checkedName.value, email: address.value, roles: roles() });
      notifyChange(`${checkedName.value} added to Contacts`);
    }
    props.onClose();
  };
  const title = () => (editing() ? `Edit ${props.contact?.name ?? ''}` : 'Add contact');
  return (
    <Modal open={props.open} onOpenChange={(o) => !o && props.onClose()} title={title()}>
      <form onInput={() => setError('')}
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <TextField label="Name" value={name()} onInput={(e) => setName(e.currentTarget.value)} required autocomplete="off" />
        <TextField label="Email" type="email" value={email()} onInput={(e) => setEmail(e.currentTarget.value)} required autocomplete="off" />
        <RoleChoices roles={roles()} onChange={setRoles} />
        <FormError message={error()} />
        <Show
          when={askNoRole()}
          fallback={
            <div class="form-actions">
              <button type="button" class="button" onClick={() => props.onClose()}>
                Cancel
              </button>
              <button type="submit" class="button button-primary">
                {editing() ? 'Save' : 'Add contact'}
              </button>
            </div>
          }
        >
          <div class="banner banner-warn" role="alert">
            <p>
              A contact with no role receives no email and cannot sign in. Give a role above, or save the contact without one.
            </p>
            <div class="form-actions">
              <button type="button" class="button" onClick={() => setAskNoRole(false)}>
                Back
              </button>
              <button type="button" class="button button-primary" onClick={() => void save(true)}>
                Save without a role
              </button>
            </div>
          </div>
        </Show>
      </form>
    </Modal>
  );
}

/** Delete asks first and says what it affects; an order's licensee or billing contact cannot go (disable instead). */
function DeleteContactDialog(props: { contact: Contact | undefined; orders: Order[]; onClose: () => void }) {
  const { db } = useSession();
  const naming = () => (props.contact ? ordersNaming(props.contact, props.orders) : []);
  const effects = () => {
    const c = props.contact;
    if (!c) return '';
    const roleWords = c.roles.map((r) => ROLE_NAMES[r]).join(', ');
    const receives = roleWords ? `${c.name} will no longer receive the emails of: ${roleWords}.` : `${c.name} receives no organization-wide email today.`;
    const signIn = c.roles.some((r) => (PRIMARY_ROLES as readonly string[]).includes(r)) ? ' Their primary role no longer lets them sign in to this organization.' : '';
    return `${receives}${signIn} This cannot be undone.`;
  };
  return (
    <Show
      when={naming().length === 0}
      fallback={
        <Modal open={!!props.contact} onOpenChange={(o) => !o && props.onClose()} title={`${props.contact?.name ?? ''} cannot be deleted`}>
          <p>
            {props.contact?.name} is the licensee or billing contact of order {naming().map((o) => o.reference).join(', ')}, and an order keeps its
            contacts. Disable the contact to stop all its email instead.
          </p>
          <div class="form-actions">
            <button type="button" class="button" onClick={() => props.onClose()}>
              Cancel
            </button>
            <button
              type="button"
              class="button button-danger"
              disabled={props.contact?.disabled}
              onClick={async () => {
                const c = props.contact!;
                await setContactDisabled(db, c.id, true);
                notifyChange(`${c.name} disabled`);
                props.onClose();
              }}
            >
              Disable contact
            </button>
          </div>
        </Modal>
      }
    >
      <Confirm
        open={!!props.contact}
        onOpenChange={(o) => !o && props.onClose()}
        title={`Delete ${props.contact?.name ?? ''}?`}
        description={effects()}
        confirmLabel="Delete contact"
        onConfirm={() => {
          const c = props.contact!;
          return deleteContact(db, c.id).then(() => notifyChange(`${c.name} deleted`));
        }}
      />
    </Show>
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
  const [deleting, setDeleting] = createSignal<string | null>(null);
  const [adding, setAdding] = createSignal(false);
  const shown = createMemo(() => filterContacts(contacts(), { text: text(), role: role(), kind: kind() }));
  // A memo, and no search while no dialog is open: the dialog reads it several times, and
  // each search walks the whole list again on every change of any contact.
  const editingContact = createMemo(() => {
    const id = editing();
    return id === null ? undefined : contacts().find((c) => c.id === id);
  });
  const deletingContact = createMemo(() => {
    const id = deleting();
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
      <DuplicateContacts contacts={contacts()} />
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
            width: 'minmax(11rem, 1.8fr)',
            cell: (c) => (
              <span class="cell-stack">
                <span class="strong">{c.name}</span>
                <PendingLine seq={c.seq} class="muted small">
                  {KIND_NAMES[contactKind(c)]}
                </PendingLine>
              </span>
            ),
          },
          { header: 'Email', width: 'minmax(10rem, 1.6fr)', cell: (c) => <span class="truncate">{c.email}</span> },
          {
            header: 'Roles',
            width: 'minmax(9rem, 1.3fr)',
            cell: (c) => (
              <span class="chips" title={c.roles.map((r) => ROLE_NAMES[r]).join(', ')}>
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
            width: '15rem',
            cell: (c) => (
              <span class="row-actions">
                <button type="button" class="button button-small" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c.id)}>
                  Edit
                </button>
                <button
                  type="button"
                  class="button button-small"
                  classList={{ 'button-danger-ghost': !c.disabled }}
                  aria-label={`${c.disabled ? 'Enable' : 'Disable'} ${c.name}`}
                  onClick={async () => {
                    await setContactDisabled(db, c.id, !c.disabled);
                    notifyChange(`${c.name} ${c.disabled ? 'enabled' : 'disabled'}`);
                  }}
                >
                  {c.disabled ? 'Enable' : 'Disable'}
                </button>
                <button type="button" class="button button-small button-danger-ghost" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c.id)}>
                  Delete
                </button>
              </span>
            ),
          },
        ]}
      />
      <ContactDialog open={!!editingContact()} contact={editingContact()} contacts={contacts()} onClose={() => setEditing(null)} />
      <ContactDialog open={adding()} contacts={contacts()} onClose={() => setAdding(false)} />
      <DeleteContactDialog contact={deletingContact()} orders={orders()} onClose={() => setDeleting(null)} />
      {/* One below the other: side by side, the role table's last column hid behind a sideways scroll at 1280 px. */}
      <RoleTable />
      <ReceiversTable contacts={contacts()} members={members()} orders={orders()} />
    </div>
  );
}
