/**
 * "Nhập từ Excel" beside a list's "add" button: the import of that kind into the unit
 * (`/org-units/:id/import/:kind`). The page shows it where it shows its own add button (the
 * user may write that thing); the link itself also needs `data.import`.
 */
import { Link } from "react-router";
import { type MessageKey, useT } from "../i18n/index.tsx";
import { useSession } from "../session.tsx";
import "../pages/imports.css";

export function ImportLink({
  unitId,
  kind,
  label = "import.link",
}: {
  unitId: number;
  kind: string;
  label?: MessageKey;
}) {
  const t = useT();
  const { can } = useSession();
  if (!can("data.import")) return null;
  return (
    <Link className="import-button" to={`/org-units/${unitId}/import/${kind}`}>
      {t(label)}
    </Link>
  );
}
