import { useId, useState } from "react";
import { api, query } from "../api.ts";
import { useDebounced, useLoad } from "../hooks.ts";
import { useT } from "../i18n/index.tsx";
import type { OrgUnitListItem, OrgUnitSummary, Page } from "../types.ts";
import { describedBy, FieldNotes } from "./fields.tsx";

export interface PickedUnit {
  id: number;
  label: string;
}

/** "Xã Bình Yên — Tỉnh Thái Nguyên": a unit's name with its ancestry, to tell namesakes apart. */
export function unitLabel(unit: Pick<OrgUnitListItem, "name" | "ancestry">): string {
  return [unit.name, ...unit.ancestry].join(" — ");
}

/**
 * Pick one or more current org units by typing part of a name (no diacritics needed); the
 * server only offers units inside the user's own scope.
 */
export function OrgUnitPicker({
  label,
  hint,
  error,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  value: PickedUnit[];
  onChange: (units: PickedUnit[]) => void;
}) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 250);
  const results = useLoad(
    () =>
      q.length < 2
        ? Promise.resolve(undefined)
        : api.get<Page<OrgUnitListItem>>(`/api/v1/org-units${query({ q, status: "current", pageSize: 8 })}`),
    [q],
  );
  const chosen = new Set(value.map((u) => u.id));

  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {value.length > 0 && (
        <ul className="chips">
          {value.map((unit) => (
            <li key={unit.id} className="chip">
              <span>{unit.label}</span>
              <button
                type="button"
                aria-label={t("users.removeScope", { name: unit.label })}
                onClick={() => onChange(value.filter((u) => u.id !== unit.id))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => setText(e.target.value)}
      />
      <FieldNotes id={id} hint={hint} error={error} />
      {q.length < 2 && <UnitTree chosen={chosen} onPick={(unit) => onChange([...value, unit])} />}
      {q.length >= 2 && results.data && (
        <ul className="picker-results">
          {results.data.items
            .filter((unit) => !chosen.has(unit.id))
            .map((unit) => (
              <li key={unit.id}>
                <button
                  type="button"
                  onClick={() => {
                    onChange([...value, { id: unit.id, label: unitLabel(unit) }]);
                    setText("");
                  }}
                >
                  {unitLabel(unit)}
                </button>
              </li>
            ))}
          {results.data.items.length === 0 && <li className="muted">{t("orgUnits.noResults", { q })}</li>}
        </ul>
      )}
    </div>
  );
}

/** Browse instead of search: the user's own units, opened level by level. */
function UnitTree({ chosen, onPick }: { chosen: Set<number>; onPick: (unit: PickedUnit) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const roots = useLoad(
    () => (open ? api.get<OrgUnitSummary[]>("/api/v1/org-units/roots") : Promise.resolve(undefined)),
    [open],
  );
  return (
    <div className="tree">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? t("picker.hideTree") : t("picker.showTree")}
      </button>
      {open && roots.data && (
        <ul>
          {roots.data.map((unit) => (
            <TreeNode key={unit.id} unit={unit} ancestry={[]} chosen={chosen} onPick={onPick} />
          ))}
        </ul>
      )}
    </div>
  );
}

function TreeNode({
  unit,
  ancestry,
  chosen,
  onPick,
}: {
  unit: OrgUnitSummary;
  ancestry: string[];
  chosen: Set<number>;
  onPick: (unit: PickedUnit) => void;
}) {
  const t = useT();
  const [expanded, setExpanded] = useState(false);
  const children = useLoad(
    () =>
      expanded
        ? api.get<Page<OrgUnitListItem>>(`/api/v1/org-units${query({ parentId: unit.id, pageSize: 500 })}`)
        : Promise.resolve(undefined),
    [expanded, unit.id],
  );
  const label = [unit.name, ...ancestry].join(" — ");
  return (
    <li>
      <span className="tree-row">
        {unit.childCount > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={expanded}
            aria-label={t(expanded ? "picker.collapse" : "picker.expand", { name: unit.name })}
            onClick={() => setExpanded((e) => !e)}
          >
            {expanded ? "▾" : "▸"}
          </button>
        ) : (
          <span className="tree-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          className="tree-pick"
          disabled={chosen.has(unit.id)}
          onClick={() => onPick({ id: unit.id, label })}
        >
          {unit.name}
        </button>
      </span>
      {expanded && children.data && (
        <ul>
          {children.data.items.map((child) => (
            <TreeNode
              key={child.id}
              unit={child}
              ancestry={unit.level === 0 ? [] : [unit.name, ...ancestry]}
              chosen={chosen}
              onPick={onPick}
            />
          ))}
        </ul>
      )}
    </li>
  );
}
