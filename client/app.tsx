import { Navigate, Route, Router } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { MyLicensesPage } from './account/my-licenses-page';
import { SignInPage } from './account/signin-page';
import { BillingPage } from './billing/billing-page';
import { ContactsPage } from './contacts/contacts-page';
import { InvitationPage } from './invitations/invitation-page';
import { JoinPage } from './join/join-page';
import { LicensesPage } from './licenses/licenses-page';
import { MembersPage } from './members/members-page';
import { NotificationsPage } from './notifications/notifications-page';
import { OrderPage, OrdersPage } from './orders/orders-page';
import { OverviewPage } from './overview/overview-page';
import { useSession } from './session';
import { Guard } from './shell/layout';
import type { Section } from './access';
import { SignedIn } from './signed-in';
import { TeamPage } from './teams/team-page';
import { TeamsPage } from './teams/teams-page';
import { ToastRegion } from './ui/toast';

const guarded = (section: Section, Screen: () => JSX.Element) => () => (
  <Guard section={section}>
    <Screen />
  </Guard>
);

/** Overview for those who may see the organization; everyone else starts at My licenses. */
function Home() {
  const { access } = useSession();
  return access.sees('overview') ? <OverviewPage /> : <Navigate href="/my-licenses" />;
}

export function App() {
  return (
    <Router
      root={(p) => (
        <>
          {p.children}
          <ToastRegion />
        </>
      )}
    >
      <Route path="/join/:token" component={JoinPage} />
      <Route path="/signin" component={SignInPage} />
      <Route path="/" component={SignedIn}>
        <Route path="/" component={Home} />
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
        <Route path="/my-licenses" component={MyLicensesPage} />
        <Route path="*" component={() => <p class="empty-state">There is no page here.</p>} />
      </Route>
    </Router>
  );
}
