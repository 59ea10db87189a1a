import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { SessionProvider, useSession, HOME_BY_ROLE } from "./auth/session";
import { Layout } from "./components/Layout";
import { RequireRole } from "./components/Guard";
import { Home } from "./pages/public/Home";
import { Login } from "./pages/public/Login";
import { Register } from "./pages/public/Register";
import { VerifyEmail } from "./pages/public/VerifyEmail";
import { ForgotPassword } from "./pages/public/ForgotPassword";
import { ResetPassword } from "./pages/public/ResetPassword";
import { NotFound } from "./pages/public/NotFound";
import { AccountPage } from "./pages/account/AccountPage";
import { ApplicationsPage } from "./pages/applicant/ApplicationsPage";
import { ProfilePage } from "./pages/applicant/ProfilePage";
import { OfferSearch } from "./pages/offers/OfferSearch";
import { OfferPage } from "./pages/offers/OfferPage";
import { NotificationsPage } from "./pages/notifications/NotificationsPage";
import { NewOfferPage } from "./pages/employer/OfferEditorPage";
import { EmployerOfferPage } from "./pages/employer/EmployerOfferPage";
import { RegionApplications } from "./pages/coordinator/RegionApplications";
import { RegionOffers } from "./pages/coordinator/RegionOffers";
import { OfferCandidates } from "./pages/coordinator/OfferCandidates";
import { EmployerHome } from "./pages/employer/EmployerHome";
import { CoordinatorHome } from "./pages/coordinator/CoordinatorHome";
import { RegionOrganisations } from "./pages/coordinator/RegionOrganisations";
import { StatisticsPage } from "./pages/chair/StatisticsPage";
import { RoundsPage } from "./pages/matching/RoundsPage";
import { RoundPage } from "./pages/matching/RoundPage";
import { AdminAccounts } from "./pages/admin/AdminAccounts";

/** Logged-in visitors who open the login or register page go to their own space. */
function AnonymousOnly({ children }: { children: React.ReactNode }) {
  const { account } = useSession();
  return account ? <Navigate to={HOME_BY_ROLE[account.role]} replace /> : <>{children}</>;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="login" element={<AnonymousOnly><Login /></AnonymousOnly>} />
            <Route path="register" element={<AnonymousOnly><Register /></AnonymousOnly>} />
            <Route path="verify-email" element={<VerifyEmail />} />
            <Route path="forgot-password" element={<ForgotPassword />} />
            <Route path="reset-password" element={<ResetPassword />} />
            <Route path="account" element={<RequireRole><AccountPage /></RequireRole>} />
            <Route path="offers" element={<OfferSearch />} />
            <Route path="offers/:offerId" element={<OfferPage />} />
            <Route path="notifications" element={<RequireRole><NotificationsPage /></RequireRole>} />
            <Route path="applicant" element={<RequireRole roles={["applicant"]}><ApplicationsPage /></RequireRole>} />
            <Route path="applicant/profile" element={<RequireRole roles={["applicant"]}><ProfilePage /></RequireRole>} />
            <Route path="employer/offers/new" element={<RequireRole roles={["employer"]}><NewOfferPage /></RequireRole>} />
            <Route path="employer/offers/:offerId" element={<RequireRole roles={["employer"]}><EmployerOfferPage /></RequireRole>} />
            <Route
              path="coordinator/applications"
              element={<RequireRole roles={["coordinator"]}><RegionApplications /></RequireRole>}
            />
            <Route path="coordinator/offers" element={<RequireRole roles={["coordinator"]}><RegionOffers /></RequireRole>} />
            <Route
              path="coordinator/offers/:offerId"
              element={<RequireRole roles={["coordinator"]}><OfferCandidates /></RequireRole>}
            />
            <Route path="employer" element={<RequireRole roles={["employer"]}><EmployerHome /></RequireRole>} />
            <Route path="coordinator" element={<RequireRole roles={["coordinator"]}><CoordinatorHome /></RequireRole>} />
            <Route
              path="coordinator/organisations"
              element={<RequireRole roles={["coordinator"]}><RegionOrganisations /></RequireRole>}
            />
            <Route path="chair" element={<RequireRole roles={["chair", "admin", "coordinator"]}><StatisticsPage /></RequireRole>} />
            <Route path="rounds" element={<RequireRole roles={["coordinator", "chair", "admin"]}><RoundsPage /></RequireRole>} />
            <Route path="rounds/:roundId" element={<RequireRole roles={["coordinator", "chair", "admin"]}><RoundPage /></RequireRole>} />
            <Route path="admin" element={<RequireRole roles={["admin"]}><AdminAccounts /></RequireRole>} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
