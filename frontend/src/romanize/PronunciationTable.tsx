import type { PronunciationForm, Pronunciations, RomanizationSystem } from "../api/types";

export const SYSTEM_LABELS: Record<RomanizationSystem, string> = {
  psp: "莆仙话拼音",
  buc: "平话字",
  ipa: "国际音标",
};
export const SYSTEMS: RomanizationSystem[] = ["psp", "buc", "ipa"];

/** One reading with its tag: 有据 (the entry's source records it) or 推导 (derived by rule or another dictionary). */
export function PronunciationFormView({ form }: { form?: PronunciationForm }) {
  if (!form?.text) return <span className="muted">—</span>;
  return (
    <>
      <span lang="cpx-Latn">{form.text}</span>{" "}
      <span className={form.attested ? "tag attested" : "tag derived"} title={form.attested ? "来源记录的读音" : "由转换规则或其他词典推导"}>
        {form.attested ? "有据" : "推导"}
      </span>
    </>
  );
}

/** A lexicon entry's readings in the three systems, citation and connected speech, each marked attested or derived. */
export function PronunciationTable({ pronunciations }: { pronunciations: Pronunciations }) {
  const rows = SYSTEMS.filter((system) => pronunciations[system]);
  if (rows.length === 0) return null;
  return (
    <table className="pronunciations" aria-label="读音">
      <thead>
        <tr>
          <th scope="col">系统</th>
          <th scope="col">本音</th>
          <th scope="col">连读音</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((system) => (
          <tr key={system}>
            <th scope="row">{SYSTEM_LABELS[system]}</th>
            <td>
              <PronunciationFormView form={pronunciations[system]?.citation} />
            </td>
            <td>
              <PronunciationFormView form={pronunciations[system]?.connected} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One line for a source card: PSP · BUC · IPA (citation forms). */
export function pronunciationLine(pronunciations: Pronunciations | undefined): string {
  if (!pronunciations) return "";
  return SYSTEMS.map((system) => pronunciations[system]?.citation?.text)
    .filter((text): text is string => Boolean(text))
    .join(" · ");
}
