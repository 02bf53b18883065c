import { A, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { nameMap, productsOf, teamsOf } from '../lookups';
import { useSession } from '../session';
import { PendingBadge, StatusBadge } from '../ui/badges';
import { PageHeader } from '../ui/field';
import { compareInstants } from '../../shared/dates';
import { formatDateTime } from '../ui/format';
import { licenseRef } from '../../shared/license-ref';
import { notify, notifyChange } from '../ui/toast';
import { VirtualTable, DATE_TIME_COLUMN } from '../ui/virtual-table';
import {
  acceptancesOfInvitation,
  invitationById,
  invitationLink,
  invitationState,
  STATE_TONES,
  licensesOfTeam,
  seatsLeft,
  setInvitationDisabled,
  STATE_WORDS,
} from './data';
import type { Invitation } from '../../shared/schemas';
import { InvitationActivitySections } from './invitation-activity';

async function copy(text: string, input?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (http, old browsers): select the text so Ctrl+C works.
    input?.select();
    return false;
  }
}

function InvitationView(props: { inv: Invitation }) {
  const { db, access, href } = useSession();
  const products = nameMap(productsOf(db));
  const teams = nameMap(teamsOf(db));
  // One view per invitation: its id and team never change (DESIGN §3), so the queries are made once.
  // eslint-disable-next-line solid/reactivity
  const acceptances = acceptancesOfInvitation(db, props.inv.id);
  // eslint-disable-next-line solid/reactivity
  const licenses = licensesOfTeam(db, props.inv.teamId);
  const [copied, setCopied] = createSignal(false);
  let linkInput: HTMLInputElement | undefined;
  const link = () => (props.inv.token ? invitationLink(props.inv.token) : '');
  const pending = () => props.inv.seq === 0;
  const left = () => seatsLeft(props.inv, licenses(), acceptances().length);
  const state = () => invitationState(props.inv, acceptances().length, new Date(), left());
  const product = () => products().get(props.inv.productId) ?? 'Unknown product';
  const licenseById = createMemo(() => new Map(licenses().map((l) => [l.id, l])));
  const sorted = createMemo(() => [...acceptances()].sort((a, b) => compareInstants(b.acceptedAt, a.acceptedAt)));
  return (
    <div class="page">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <A href={href('/teams')}>Teams</A> <span aria-hidden="true">/</span>{' '}
        <A href={href(`/teams/${props.inv.teamId}?tab=invitations`)}>{teams().get(props.inv.teamId) ?? 'Team'}</A>{' '}
        <span aria-hidden="true">/</span> <span>Invitations</span>
      </nav>
      <PageHeader title={props.inv.name || `${product()} invitation`} subtitle={`${product()} · ${teams().get(props.inv.teamId) ?? ''}`}>
        <StatusBadge tone={STATE_TONES[state()]}>{STATE_WORDS[state()]}</StatusBadge>
        <Show when={access.canManageTeam(props.inv.teamId)}>
          <button
            type="button"
            class="button"
            classList={{ 'button-danger-ghost': !props.inv.disabledAt }}
            onClick={async () => {
              await setInvitationDisabled(db, props.inv.id, !props.inv.disabledAt);
              notifyChange(props.inv.disabledAt ? 'Invitation enabled' : 'Invitation disabled');
            }}
          >
            {props.inv.disabledAt ? 'Enable invitation' : 'Disable invitation'}
          </button>
        </Show>
      </PageHeader>
      <section class="card" aria-labelledby="link-title">
        <h2 id="link-title">Invitation link</h2>
        <Show when={pending()}>
          <p class="banner banner-info">
            <PendingBadge seq={0} label="Pending" /> Not synced yet: the link appears here once this invitation reaches the server.
          </p>
        </Show>
        <Show when={props.inv.token}>
        <div class="copy-row">
          <label class="sr-only" for="invitation-link">
            Invitation link
          </label>
          <input id="invitation-link" ref={linkInput} class="input mono" readonly value={link()} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            class="button button-primary"
            onClick={async () => {
              const ok = await copy(link(), linkInput);
              setCopied(ok);
              notify(ok ? 'Link copied' : 'Press Ctrl+C to copy the selected link', ok ? 'ok' : 'error');
            }}
          >
            {copied() ? 'Copied' : 'Copy link'}
          </button>
        </div>
        </Show>
        <dl class="facts">
          <div>
            <dt>Seats left</dt>
            <dd class="fact-big" classList={{ 'fact-none': left() === 0 }}>{left()}</dd>
          </div>
          <div>
            <dt>Expires</dt>
            <dd>{props.inv.expiresAt ? formatDateTime(props.inv.expiresAt) : 'Never'}</dd>
          </div>
          <div>
            <dt>Claims</dt>
            <dd>
              {acceptances().length}
              {props.inv.maxClaims ? ` of at most ${props.inv.maxClaims}` : ''}
            </dd>
          </div>
          <div>
            <dt>Allowed email domains</dt>
            <dd>
              <Show when={props.inv.allowedDomains.length} fallback="Any">
                <span class="chips">
                  <For each={props.inv.allowedDomains}>{(d) => <span class="chip">{d}</span>}</For>
                </span>
              </Show>
            </dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="accepted-title">
        <h2 id="accepted-title">Accepted invitations</h2>
        <VirtualTable
          label="Accepted invitations"
          rows={sorted()}
          empty="Nobody has claimed a license through this link yet."
          columns={[
            {
              header: 'Who',
              width: 'minmax(10rem, 2fr)',
              cell: (a) => (
                <span class="cell-stack">
                  <span class="strong">{a.account.name || a.account.email}</span>
                  <span class="muted small">{a.account.email}</span>
                </span>
              ),
            },
            { header: 'When', width: `minmax(${DATE_TIME_COLUMN}, 1fr)`, cell: (a) => formatDateTime(a.acceptedAt) },
            {
              header: 'License',
              width: 'minmax(8rem, 1fr)',
              cell: (a) => {
                const lic = licenseById().get(a.licenseId);
                return (
                  <span class="cell-stack">
                    <span class="mono small">{licenseRef(a.licenseId)}</span>
                    <span class="small">
                      {a.revokedAt ? (
                        <StatusBadge tone="danger">Revoked</StatusBadge>
                      ) : lic ? (
                        <StatusBadge tone="info">{lic.teamId === props.inv.teamId ? 'Held' : 'Moved'}</StatusBadge>
                      ) : (
                        <StatusBadge tone="muted">Held</StatusBadge>
                      )}
                    </span>
                  </span>
                );
              },
            },
          ]}
        />
      </section>
      <InvitationActivitySections orgId={props.inv.orgId} invitationId={props.inv.id} canRemove={access.canManageTeam(props.inv.teamId)} />
      <Show when={access.sees('audit')}>
        <p>
          <A href={href(`/audit?doc=${encodeURIComponent(props.inv.id)}`)}>History of this invitation in the audit log</A>
        </p>
      </Show>
    </div>
  );
}

export function InvitationPage() {
  const params = useParams<{ invitationId: string }>();
  const { db } = useSession();
  const inv = invitationById(db, params.invitationId);
  return (
    <Show when={inv() !== undefined} fallback={<p class="muted">Loading…</p>}>
      <Show when={inv()} fallback={<p class="empty-state">This invitation does not exist or you may not see it.</p>}>
        {(i) => <InvitationView inv={i()} />}
      </Show>
    </Show>
  );
}
