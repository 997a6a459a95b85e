/**
 * The form editor of a framework draft: general information, groups and their criteria (with
 * steps for counts and percentages), rating levels, legal basis. It edits a definition held by
 * the page through `EditorContext.edit(path, value)`; it holds no state of its own.
 */
import { useContext } from "react";
import {
  type CriteriaGroup,
  type Criterion,
  DERIVED_SOURCES,
  type DerivedSource,
  type FrameworkDefinition,
  MODEL_SUBJECT,
  type Model,
  type RatingLevel,
} from "../../domain/learning-models/framework.ts";
import { useT } from "../i18n/index.tsx";
import {
  BoundCheckbox,
  BoundNumber,
  BoundSelect,
  BoundText,
  EditorContext,
  PartError,
} from "./framework-fields.tsx";
import { derivedLabel, formatNumber, type Path, pathId } from "./framework-text.tsx";

type Kind = Criterion["input"]["kind"];
const KINDS: Kind[] = ["points", "yes_no", "count", "percentage"];
const DERIVED = Object.keys(DERIVED_SOURCES) as DerivedSource[];

/** The figures that can be computed for this model's subject ("village.…" for a village model). */
function derivedFor(model: Model, current: DerivedSource | undefined): DerivedSource[] {
  const subject = MODEL_SUBJECT[model];
  return DERIVED.filter((source) => source.startsWith(`${subject}.`) || source === current);
}

function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

function without<T>(items: T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

function withoutDerived(criterion: Criterion): Criterion {
  const copy = { ...criterion };
  delete copy.derivedFrom;
  return copy;
}

/** A criterion switched to another way of scoring, keeping its steps where they still apply. */
export function changeKind(criterion: Criterion, kind: Kind): Criterion {
  if (kind === criterion.input.kind) return criterion;
  if (kind === "points" || kind === "yes_no") return { ...withoutDerived(criterion), input: { kind } };
  const steps =
    criterion.input.kind === "count" || criterion.input.kind === "percentage"
      ? criterion.input.steps
      : [{ atLeast: kind === "percentage" ? 50 : 1, points: criterion.maxPoints }];
  if (kind === "count") return { ...withoutDerived(criterion), input: { kind, steps } };
  return { ...criterion, input: { kind, steps } };
}

function uniqueCode(taken: Set<string>, make: (n: number) => string, start: number): string {
  let n = start;
  while (taken.has(make(n))) n++;
  return make(n);
}

function allCodes(definition: FrameworkDefinition): Set<string> {
  return new Set(definition.groups.flatMap((g) => [g.code, ...g.criteria.map((c) => c.code)]));
}

function newCriterion(definition: FrameworkDefinition, group: CriteriaGroup): Criterion {
  const code = uniqueCode(allCodes(definition), (n) => `${group.code}.${n}`, group.criteria.length + 1);
  return { code, text: "", maxPoints: 0, input: { kind: "points" }, mandatory: false };
}

function newGroup(definition: FrameworkDefinition): CriteriaGroup {
  const code = uniqueCode(allCodes(definition), String, definition.groups.length + 1);
  return {
    code,
    title: "",
    maxPoints: 0,
    criteria: [{ code: `${code}.1`, text: "", maxPoints: 0, input: { kind: "points" }, mandatory: false }],
  };
}

function MoveButtons({
  index,
  count,
  name,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  name: string;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const t = useT();
  return (
    <div className="actions fw-item-actions">
      <button
        type="button"
        disabled={index === 0}
        aria-label={t("frameworks.editor.moveUpOf", { name })}
        onClick={() => onMove(index - 1)}
      >
        {t("frameworks.editor.moveUp")}
      </button>
      <button
        type="button"
        disabled={index === count - 1}
        aria-label={t("frameworks.editor.moveDownOf", { name })}
        onClick={() => onMove(index + 1)}
      >
        {t("frameworks.editor.moveDown")}
      </button>
      <button
        type="button"
        className="fw-remove"
        aria-label={t("frameworks.editor.removeOf", { name })}
        onClick={onRemove}
      >
        {t("frameworks.editor.remove")}
      </button>
    </div>
  );
}

export function DefinitionEditor({ definition }: { definition: FrameworkDefinition }) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const d = definition;
  return (
    <div className="fw-editor">
      <section className="card" aria-labelledby="fw-general-heading">
        <h2 id="fw-general-heading">{t("frameworks.editor.general")}</h2>
        <BoundText
          path={["title"]}
          label={t("frameworks.field.title")}
          value={d.title}
          multiline
          maxLength={300}
        />
        <div className="fw-grid">
          <BoundNumber
            path={["effectiveFromYear"]}
            label={t("frameworks.field.fromYear")}
            value={d.effectiveFromYear}
            empty={Number.NaN}
          />
          <BoundNumber
            path={["effectiveToYear"]}
            label={t("frameworks.field.toYear")}
            hint={t("frameworks.field.toYearHint")}
            value={d.effectiveToYear}
            empty={null}
          />
        </div>
      </section>

      <section className="card" aria-labelledby="fw-groups-heading" id={pathId(["groups"])} tabIndex={-1}>
        <h2 id="fw-groups-heading">{t("frameworks.editor.groups")}</h2>
        <p className="hint">{t("frameworks.editor.groupsHint")}</p>
        <PartError path={["groups"]} />
        {d.groups.map((group, gi) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity while codes are edited.
          <GroupEditor key={gi} definition={d} group={group} index={gi} />
        ))}
        <button
          type="button"
          onClick={() => edit(["groups"], [...d.groups, newGroup(d)])}
          disabled={d.groups.length >= 30}
        >
          {t("frameworks.editor.addGroup")}
        </button>
      </section>

      <section className="card" aria-labelledby="fw-ratings-heading" id={pathId(["ratings"])} tabIndex={-1}>
        <h2 id="fw-ratings-heading">{t("frameworks.editor.ratings")}</h2>
        <p className="hint">{t("frameworks.editor.ratingsHint")}</p>
        <PartError path={["ratings"]} />
        {d.ratings.map((rating, ri) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity while codes are edited.
          <RatingEditor key={ri} ratings={d.ratings} rating={rating} index={ri} />
        ))}
        <button
          type="button"
          disabled={d.ratings.length >= 6}
          onClick={() =>
            edit(
              ["ratings"],
              [
                ...d.ratings,
                {
                  code: uniqueCode(
                    new Set(d.ratings.map((r) => r.code)),
                    (n) => `muc${n}`,
                    d.ratings.length + 1,
                  ),
                  label: "",
                  minTotal: 0,
                  passing: true,
                } satisfies RatingLevel,
              ],
            )
          }
        >
          {t("frameworks.editor.addRating")}
        </button>
        <BoundText
          path={["failLabel"]}
          label={t("frameworks.field.failLabel")}
          hint={t("frameworks.field.failLabelHint")}
          value={d.failLabel}
          maxLength={60}
        />
      </section>

      <LegalBasisEditor legal={d.legalBasis} />
    </div>
  );
}

function GroupEditor({
  definition,
  group,
  index,
}: {
  definition: FrameworkDefinition;
  group: CriteriaGroup;
  index: number;
}) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const path: Path = ["groups", index];
  const sum = group.criteria.reduce((s, c) => s + (Number.isFinite(c.maxPoints) ? c.maxPoints : 0), 0);
  const name = t("frameworks.editor.groupLegend", { code: group.code || String(index + 1) });
  return (
    <fieldset className="fw-fieldset fw-group-edit">
      <legend>{name}</legend>
      <div className="fw-grid">
        <BoundText
          path={[...path, "code"]}
          label={t("frameworks.field.code")}
          value={group.code}
          maxLength={20}
        />
        <BoundNumber
          path={[...path, "maxPoints"]}
          label={t("frameworks.field.maxPoints")}
          hint={t("frameworks.editor.criteriaSum", { points: formatNumber(sum) })}
          value={group.maxPoints}
          empty={Number.NaN}
        />
        <BoundNumber
          path={[...path, "minPoints"]}
          label={t("frameworks.field.minPoints")}
          hint={t("frameworks.field.minPointsHint")}
          value={group.minPoints}
          empty={undefined}
        />
      </div>
      <BoundText
        path={[...path, "title"]}
        label={t("frameworks.field.groupTitle")}
        value={group.title}
        maxLength={300}
      />
      <div className="fw-criteria-edit" id={pathId([...path, "criteria"])} tabIndex={-1}>
        <PartError path={[...path, "criteria"]} />
        {group.criteria.map((criterion, ci) => (
          <CriterionEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the identity while codes are edited.
            key={ci}
            model={definition.model}
            criterion={criterion}
            path={[...path, "criteria", ci]}
            index={ci}
            count={group.criteria.length}
            onMove={(to) => edit([...path, "criteria"], move(group.criteria, ci, to))}
            onRemove={() => edit([...path, "criteria"], without(group.criteria, ci))}
          />
        ))}
      </div>
      <div className="actions">
        <button
          type="button"
          disabled={group.criteria.length >= 60}
          onClick={() => edit([...path, "criteria"], [...group.criteria, newCriterion(definition, group)])}
        >
          {t("frameworks.editor.addCriterion", { group: group.code })}
        </button>
      </div>
      <MoveButtons
        index={index}
        count={definition.groups.length}
        name={name}
        onMove={(to) => edit(["groups"], move(definition.groups, index, to))}
        onRemove={() => edit(["groups"], without(definition.groups, index))}
      />
    </fieldset>
  );
}

function CriterionEditor({
  model,
  criterion,
  path,
  index,
  count,
  onMove,
  onRemove,
}: {
  model: Model;
  criterion: Criterion;
  path: Path;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const name = t("frameworks.editor.criterionLegend", { code: criterion.code || String(index + 1) });
  const input = criterion.input;
  const sources = derivedFor(model, criterion.derivedFrom);
  return (
    <fieldset className="fw-fieldset fw-criterion-edit">
      <legend>{name}</legend>
      <div className="fw-grid">
        <BoundText
          path={[...path, "code"]}
          label={t("frameworks.field.code")}
          value={criterion.code}
          maxLength={20}
        />
        <BoundNumber
          path={[...path, "maxPoints"]}
          label={t("frameworks.field.maxPoints")}
          value={criterion.maxPoints}
          empty={Number.NaN}
        />
        <BoundSelect
          path={[...path, "input"]}
          label={t("frameworks.field.kind")}
          value={input.kind}
          onValue={(kind) => edit(path, changeKind(criterion, kind as Kind))}
        >
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`frameworks.kindOption.${kind}`)}
            </option>
          ))}
        </BoundSelect>
      </div>
      <BoundText
        path={[...path, "text"]}
        label={t("frameworks.field.text")}
        value={criterion.text}
        multiline
        maxLength={2000}
      />
      {input.kind === "count" && (
        <BoundText
          path={[...path, "input", "unit"]}
          label={t("frameworks.field.unit")}
          hint={t("frameworks.field.unitHint")}
          value={input.unit}
          empty={undefined}
          maxLength={40}
        />
      )}
      {(input.kind === "count" || input.kind === "percentage") && (
        <StepsEditor
          path={[...path, "input", "steps"]}
          steps={input.steps}
          unit={input.kind === "percentage" ? "%" : (input.unit ?? "")}
          percentage={input.kind === "percentage"}
        />
      )}
      {input.kind === "percentage" && sources.length > 0 && (
        <BoundSelect
          path={[...path, "derivedFrom"]}
          label={t("frameworks.field.derivedFrom")}
          hint={t("frameworks.field.derivedFromHint")}
          value={criterion.derivedFrom ?? ""}
          onValue={(value) => edit([...path, "derivedFrom"], value === "" ? undefined : value)}
        >
          <option value="">{t("frameworks.field.derivedNone")}</option>
          {sources.map((source) => (
            <option key={source} value={source}>
              {derivedLabel(source, t)}
            </option>
          ))}
        </BoundSelect>
      )}
      {criterion.derivedFrom && input.kind !== "percentage" && <PartError path={[...path, "derivedFrom"]} />}
      <BoundCheckbox
        path={[...path, "mandatory"]}
        label={t("frameworks.field.mandatory")}
        hint={t("frameworks.field.mandatoryHint")}
        value={criterion.mandatory}
      />
      <BoundText
        path={[...path, "guidance"]}
        label={t("frameworks.field.guidance")}
        value={criterion.guidance}
        empty={undefined}
        multiline
        maxLength={2000}
      />
      <MoveButtons index={index} count={count} name={name} onMove={onMove} onRemove={onRemove} />
    </fieldset>
  );
}

function StepsEditor({
  path,
  steps,
  unit,
  percentage,
}: {
  path: Path;
  steps: { atLeast: number; points: number }[];
  unit: string;
  percentage: boolean;
}) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const unitText = unit ? ` (${unit})` : "";
  return (
    <fieldset className="fw-fieldset fw-steps" id={pathId(path)} tabIndex={-1}>
      <legend>{t("frameworks.field.steps")}</legend>
      <p className="hint">{t("frameworks.editor.stepsHint")}</p>
      {steps.map((step, si) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps are positions in an ordered list.
        <div key={si} className="fw-step">
          <div className="fw-step-row">
            <BoundNumber
              path={[...path, si, "atLeast"]}
              label={t("frameworks.editor.stepFrom", { index: si + 1, unit: unitText })}
              value={step.atLeast}
              empty={Number.NaN}
              integer={false}
            />
            <span className="fw-step-arrow" aria-hidden="true">
              →
            </span>
            <BoundNumber
              path={[...path, si, "points"]}
              label={t("frameworks.editor.stepPoints", { index: si + 1 })}
              value={step.points}
              empty={Number.NaN}
            />
            <button
              type="button"
              className="fw-remove fw-remove-step"
              disabled={steps.length <= 1}
              aria-label={t("frameworks.editor.removeOf", {
                name: t("frameworks.editor.stepLegend", { index: si + 1 }),
              })}
              onClick={() => edit(path, without(steps, si))}
            >
              <span aria-hidden="true">✕</span>
            </button>
          </div>
          <PartError path={[...path, si]} />
        </div>
      ))}
      <PartError path={path} />
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            const last = steps[steps.length - 1];
            const atLeast = last ? last.atLeast + (percentage ? 10 : 1) : percentage ? 50 : 1;
            edit(path, [
              ...steps,
              { atLeast: percentage ? Math.min(100, atLeast) : atLeast, points: last?.points ?? 0 },
            ]);
          }}
        >
          {t("frameworks.editor.addStep")}
        </button>
      </div>
    </fieldset>
  );
}

function RatingEditor({
  ratings,
  rating,
  index,
}: {
  ratings: RatingLevel[];
  rating: RatingLevel;
  index: number;
}) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const path: Path = ["ratings", index];
  const name = t("frameworks.editor.ratingLegend", { index: index + 1 });
  return (
    <fieldset className="fw-fieldset">
      <legend>{rating.label ? `${name}: ${rating.label}` : name}</legend>
      <div className="fw-grid">
        <BoundText
          path={[...path, "code"]}
          label={t("frameworks.field.code")}
          value={rating.code}
          maxLength={20}
        />
        <BoundText
          path={[...path, "label"]}
          label={t("frameworks.field.ratingLabel")}
          value={rating.label}
          maxLength={60}
        />
        <BoundNumber
          path={[...path, "minTotal"]}
          label={t("frameworks.field.minTotal")}
          value={rating.minTotal}
          empty={Number.NaN}
        />
        <BoundNumber
          path={[...path, "minEachGroupPercent"]}
          label={t("frameworks.field.minEachGroupPercent")}
          hint={t("frameworks.field.optional")}
          value={rating.minEachGroupPercent}
          empty={undefined}
          integer={false}
        />
      </div>
      <BoundCheckbox
        path={[...path, "passing"]}
        label={t("frameworks.field.passing")}
        hint={t("frameworks.field.passingHint")}
        value={rating.passing}
      />
      <MoveButtons
        index={index}
        count={ratings.length}
        name={name}
        onMove={(to) => edit(["ratings"], move(ratings, index, to))}
        onRemove={() => edit(["ratings"], without(ratings, index))}
      />
    </fieldset>
  );
}

function LegalBasisEditor({ legal }: { legal: FrameworkDefinition["legalBasis"] }) {
  const t = useT();
  const { edit } = useContext(EditorContext);
  const path: Path = ["legalBasis"];
  return (
    <section className="card" aria-labelledby="fw-legal-edit-heading">
      <h2 id="fw-legal-edit-heading">{t("frameworks.legal.heading")}</h2>
      <div className="fw-grid">
        <BoundText
          path={[...path, "documentNumber"]}
          label={t("frameworks.legal.documentNumber")}
          value={legal.documentNumber}
          empty={null}
          maxLength={60}
        />
        <BoundText
          path={[...path, "documentDate"]}
          label={t("frameworks.legal.documentDate")}
          type="date"
          value={legal.documentDate}
          empty={null}
        />
      </div>
      <BoundText
        path={[...path, "issuer"]}
        label={t("frameworks.legal.issuer")}
        value={legal.issuer}
        empty={null}
        maxLength={200}
      />
      <BoundText
        path={[...path, "title"]}
        label={t("frameworks.legal.title")}
        value={legal.title}
        empty={null}
        multiline
        maxLength={500}
      />
      <BoundText
        path={[...path, "sources"]}
        label={t("frameworks.legal.sources")}
        hint={t("frameworks.legal.sourcesHint")}
        value={legal.sources.join("\n")}
        multiline
        toValue={(text) => (text === "" ? [] : text.split("\n"))}
      />
      <fieldset className="fw-fieldset" id={pathId([...path, "unknowns"])} tabIndex={-1}>
        <legend>{t("frameworks.unknownsHeading")}</legend>
        <p className="hint">{t("frameworks.legal.unknownsHint")}</p>
        {legal.unknowns.map((u, ui) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: positions in an ordered list.
          <div key={ui} className="fw-unknown-edit">
            <BoundText
              path={[...path, "unknowns", ui]}
              label={t("frameworks.legal.unknownItem", { index: ui + 1 })}
              value={u}
              multiline
              maxLength={1000}
            />
            <button
              type="button"
              className="fw-remove"
              aria-label={t("frameworks.editor.removeOf", {
                name: t("frameworks.legal.unknownItem", { index: ui + 1 }),
              })}
              onClick={() => edit([...path, "unknowns"], without(legal.unknowns, ui))}
            >
              {t("frameworks.editor.remove")}
            </button>
          </div>
        ))}
        <PartError path={[...path, "unknowns"]} />
        <div className="actions">
          <button
            type="button"
            disabled={legal.unknowns.length >= 30}
            onClick={() => edit([...path, "unknowns"], [...legal.unknowns, ""])}
          >
            {t("frameworks.legal.addUnknown")}
          </button>
        </div>
      </fieldset>
      <BoundText
        path={[...path, "notes"]}
        label={t("frameworks.legal.notes")}
        value={legal.notes}
        empty={undefined}
        multiline
        maxLength={4000}
      />
    </section>
  );
}
