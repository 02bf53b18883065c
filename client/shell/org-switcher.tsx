/**
 * The organization switcher (DESIGN §5): a menu button in the shell listing every
 * organization the person is part of, with their roles there. Kobalte's dropdown menu gives
 * the keyboard behaviour of a WAI-ARIA menu button (Enter/Space/↓ open it, arrows move,
 * typing a name jumps to it, Escape closes and returns focus).
 */
import { Root, Trigger, Portal, Content, RadioGroup, RadioItem, ItemLabel, ItemDescription, ItemIndicator, GroupLabel, Group } from '@kobalte/core/dropdown-menu';
import { For, Show } from 'solid-js';
import type { MyOrganization } from '../api';

export interface SwitcherOrg {
  org: MyOrganization;
  /** The person's roles there, in words. */
  roles: string[];
}

export function OrgSwitcher(props: {
  orgs: SwitcherOrg[];
  /** The organization shown now; null when none is (My licenses of a pure invitee). */
  currentId: string | null;
  onSwitch(orgId: string): void;
}) {
  const current = () => props.orgs.find((o) => o.org.id === props.currentId);
  return (
    <Root gutter={6} placement="bottom-start">
      {/* Named by its visible words plus what it does (WCAG 2.5.3: the visible label is part of the name). */}
      <Trigger class="org-switcher">
        <span class="brand-mark" aria-hidden="true">
          {(current()?.org.name ?? 'A').slice(0, 1).toUpperCase()}
        </span>
        <span class="org-switcher-text">
          <span class="brand-org">{current()?.org.name ?? 'Allot'}</span>
          <span class="brand-sub">{current() ? current()!.roles[0] ?? 'Organization' : 'No organization'}</span>
        </span>
        <span class="sr-only">: Switch organization</span>
        <span class="org-switcher-caret" aria-hidden="true">
          ▾
        </span>
      </Trigger>
      <Portal>
        <Content class="org-menu">
          <Group>
            <GroupLabel class="org-menu-label">Your organizations</GroupLabel>
            <Show when={props.orgs.length} fallback={<p class="org-menu-empty">You are not part of any organization yet.</p>}>
              <RadioGroup value={props.currentId ?? undefined} onChange={(id) => props.onSwitch(id)}>
                <For each={props.orgs}>
                  {(o) => (
                    <RadioItem class="org-menu-item" value={o.org.id} textValue={o.org.name} closeOnSelect>
                      <ItemIndicator class="org-menu-check" forceMount>
                        <span aria-hidden="true">{o.org.id === props.currentId ? '✓' : ''}</span>
                      </ItemIndicator>
                      <span class="org-menu-text">
                        <ItemLabel class="org-menu-name">{o.org.name}</ItemLabel>
                        <ItemDescription class="org-menu-roles">{o.roles.join(', ') || 'No role'}</ItemDescription>
                      </span>
                    </RadioItem>
                  )}
                </For>
              </RadioGroup>
            </Show>
          </Group>
        </Content>
      </Portal>
    </Root>
  );
}
