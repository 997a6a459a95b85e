import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from "react-router";
import { Loading } from "./components/feedback.tsx";
import { Layout } from "./components/Layout.tsx";
import { I18nProvider, useT } from "./i18n/index.tsx";
import { AccountPage } from "./pages/AccountPage.tsx";
// Events and coordination agreements
import { AgreementsPage } from "./pages/AgreementsPage.tsx";
import { AssociationPage } from "./pages/AssociationPage.tsx";
import { AuditPage } from "./pages/AuditPage.tsx";
import { CentrePage } from "./pages/CentrePage.tsx";
import { CentresSummaryPage } from "./pages/CentresSummaryPage.tsx";
import { CitizenRegistrationPage } from "./pages/CitizenRegistrationPage.tsx";
import { CitizensPage } from "./pages/CitizensPage.tsx";
import { ClansPage } from "./pages/ClansPage.tsx";
import { CommendationsPage } from "./pages/CommendationsPage.tsx";
import { Dhis2Page } from "./pages/Dhis2Page.tsx";
import { EvaluationPage } from "./pages/EvaluationPage.tsx";
import { EvaluationsPage } from "./pages/EvaluationsPage.tsx";
import { EventsPage } from "./pages/EventsPage.tsx";
import { FrameworkPage } from "./pages/FrameworkPage.tsx";
import { FrameworksPage } from "./pages/FrameworksPage.tsx";
import { FundPage } from "./pages/FundPage.tsx";
import { FundPublicPage } from "./pages/FundPublicPage.tsx";
import { FundSummaryPage } from "./pages/FundSummaryPage.tsx";
import { FundsHomePage, FundsPage } from "./pages/FundsPage.tsx";
import { HouseholdsPage } from "./pages/HouseholdsPage.tsx";
import { ImportIndexPage } from "./pages/ImportIndexPage.tsx";
import { ImportPage } from "./pages/ImportPage.tsx";
import { InspectionPlanPage } from "./pages/InspectionPlanPage.tsx";
import { InspectionsPage } from "./pages/InspectionsPage.tsx";
import { LiteracyPage } from "./pages/LiteracyPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { OrgUnitPage } from "./pages/OrgUnitPage.tsx";
import { OrgUnitsPage } from "./pages/OrgUnitsPage.tsx";
import { ReportPage } from "./pages/ReportPage.tsx";
import { ReportRequestPage } from "./pages/ReportRequestPage.tsx";
import { ReportsPage } from "./pages/ReportsPage.tsx";
import { UsersPage } from "./pages/UsersPage.tsx";
import { SessionProvider, useSession } from "./session.tsx";
import "./styles.css";

/** Pages behind the login; a temporary password must be changed before anything else. */
function RequireLogin() {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <Loading />;
  if (user === null) {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (user.mustChangePassword && location.pathname !== "/account") return <Navigate to="/account" replace />;
  return <Outlet />;
}

function NotFound() {
  const t = useT();
  return (
    <div className="page">
      <h1>{t("app.notFound.title")}</h1>
      <p>{t("app.notFound.body")}</p>
    </div>
  );
}

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  { path: "/cong-dan-hoc-tap/dang-ky", element: <CitizenRegistrationPage /> },
  { path: "/cong-khai/quy/:id", element: <FundPublicPage /> },
  {
    element: <RequireLogin />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/org-units" replace /> },
          { path: "org-units", element: <OrgUnitsPage /> },
          { path: "org-units/:id", element: <OrgUnitPage /> },
          { path: "org-units/:id/households", element: <HouseholdsPage /> },
          // Imports from Excel: the kinds a unit takes, and one kind (households, clans, fund-entries…)
          { path: "org-units/:id/import", element: <ImportIndexPage /> },
          { path: "org-units/:id/import/:kind", element: <ImportPage /> },
          // Figures out to DHIS2, targets in from it
          { path: "org-units/:id/dhis2", element: <Dhis2Page /> },
          { path: "org-units/:id/clans", element: <ClansPage /> },
          { path: "org-units/:id/evaluations", element: <EvaluationsPage /> },
          {
            path: "org-units/:id/dashboard",
            lazy: () => import("./pages/DashboardPage.tsx").then((m) => ({ Component: m.DashboardPage })),
          },
          { path: "evaluations/:id", element: <EvaluationPage /> },
          { path: "frameworks", element: <FrameworksPage /> },
          { path: "frameworks/:id", element: <FrameworkPage /> },
          { path: "org-units/:id/citizens", element: <CitizensPage /> },
          { path: "funds", element: <FundsHomePage /> },
          { path: "funds/:id", element: <FundPage /> },
          { path: "org-units/:id/funds", element: <FundsPage /> },
          { path: "org-units/:id/funds/summary", element: <FundSummaryPage /> },
          { path: "org-units/:id/centre", element: <CentrePage /> },
          { path: "org-units/:id/centres/summary", element: <CentresSummaryPage /> },
          // Events and coordination agreements
          { path: "org-units/:id/events", element: <EventsPage /> },
          { path: "org-units/:id/agreements", element: <AgreementsPage /> },
          // Inspections, commendations and exemplary models
          { path: "org-units/:id/inspections", element: <InspectionsPage /> },
          { path: "inspections/plans/:id", element: <InspectionPlanPage /> },
          { path: "org-units/:id/commendations", element: <CommendationsPage /> },
          // Association membership
          { path: "org-units/:id/association", element: <AssociationPage /> },
          { path: "org-units/:id/literacy", element: <LiteracyPage /> },
          // Periodic reports
          { path: "org-units/:id/reports", element: <ReportsPage /> },
          { path: "org-units/:id/reports/:template/:period", element: <ReportPage /> },
          { path: "reports/requests/:id", element: <ReportRequestPage /> },
          { path: "users", element: <UsersPage /> },
          { path: "audit", element: <AuditPage /> },
          { path: "account", element: <AccountPage /> },
          { path: "*", element: <NotFound /> },
        ],
      },
    ],
  },
]);

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
