import { Navigate, Route, Router } from '@solidjs/router';
import { lazy, type JSX } from 'solid-js';
import { SignInPage } from './account/signin-page';
import { Guard } from './shell/layout';
import { Home, IntoCurrentOrg, OrgHome, OrgScope } from './shell/org-scope';
import type { Section } from './access';
import { SignedIn } from './signed-in';
import { UpdatePrompt } from './pwa/update-prompt';
import { ToastRegion } from './ui/toast';

/*
 * Screens load when first visited (issue 7: first-screen JavaScript): the shell, the local
 * database and sync come with the entry; each area is its own chunk, which the service
 * worker precaches, so they open offline too. (Sign-in is part of the shell: signed-in.tsx shows it.)
 */
const MyLicensesPage = lazy(() => import('./account/my-licenses-page').then((m) => ({ default: m.MyLicensesPage })));
const BillingPage = lazy(() => import('./billing/billing-page').then((m) => ({ default: m.BillingPage })));
const ContactsPage = lazy(() => import('./contacts/contacts-page').then((m) => ({ default: m.ContactsPage })));
const InvitationPage = lazy(() => import('./invitations/invitation-page').then((m) => ({ default: m.InvitationPage })));
const ActivatePage = lazy(() => import('./activate/activate-page').then((m) => ({ default: m.ActivatePage })));
const JoinPage = lazy(() => import('./join/join-page').then((m) => ({ default: m.JoinPage })));
const LicensesPage = lazy(() => import('./licenses/licenses-page').then((m) => ({ default: m.LicensesPage })));
const MembersPage = lazy(() => import('./members/members-page').then((m) => ({ default: m.MembersPage })));
const NotificationsPage = lazy(() => import('./notifications/notifications-page').then((m) => ({ default: m.NotificationsPage })));
const OrdersPage = lazy(() => import('./orders/orders-page').then((m) => ({ default: m.OrdersPage })));
const OrderPage = lazy(() => import('./orders/orders-page').then((m) => ({ default: m.OrderPage })));
const OverviewPage = lazy(() => import('./overview/overview-page').then((m) => ({ default: m.OverviewPage })));
const TeamsPage = lazy(() => import('./teams/teams-page').then((m) => ({ default: m.TeamsPage })));
const TeamPage = lazy(() => import('./teams/team-page').then((m) => ({ default: m.TeamPage })));

const guarded = (section: Section, Screen: () => JSX.Element) => () => (
  <Guard section={section}>
    <Screen />
  </Guard>
);

const NoPage = () => <p class="empty-state">There is no page here.</p>;

/** Paths of an organization's screens; before URLs named the organization they stood alone (they redirect). */
const ORG_SCREENS = ['/contacts', '/teams/*', '/invitations/*', '/licenses', '/orders/*', '/invoices', '/notifications', '/members'];

export function App() {
  return (
    <Router
      root={(p) => (
        <>
          {p.children}
          <ToastRegion />
          <UpdatePrompt />
        </>
      )}
    >
      <Route path="/join/:token" component={JoinPage} />
      <Route path="/activate" component={ActivatePage} />
      <Route path="/signin" component={SignInPage} />
      <Route path="/" component={SignedIn}>
        <Route path="/" component={Home} />
        <Route path="/my-licenses" component={MyLicensesPage} />
        <Route path="/o/:orgId" component={OrgScope}>
          <Route path="/" component={() => <OrgHome overview={() => <OverviewPage />} />} />
          <Route path="/contacts" component={guarded('contacts', ContactsPage)} />
          <Route path="/teams" component={guarded('teams', TeamsPage)} />
          <Route path="/teams/:teamId" component={guarded('teams', TeamPage)} />
          <Route path="/invitations/:invitationId" component={guarded('teams', InvitationPage)} />
          <Route path="/licenses" component={guarded('licenses', LicensesPage)} />
          <Route path="/orders" component={guarded('orders', OrdersPage)} />
          <Route path="/orders/:orderId" component={guarded('orders', OrderPage)} />
          <Route path="/invoices" component={guarded('billing', BillingPage)} />
          <Route path="/notifications" component={guarded('notifications', NotificationsPage)} />
          <Route path="/members" component={guarded('members', MembersPage)} />
          <Route path="/my-licenses" component={() => <Navigate href="/my-licenses" />} />
          <Route path="*" component={NoPage} />
        </Route>
        <Route path={ORG_SCREENS} component={IntoCurrentOrg} />
        <Route path="*" component={NoPage} />
      </Route>
    </Router>
  );
}
