// The backend toggle in the header: which engine this user's questions go to, with each one's state.
// Engines that cannot run on this server are listed disabled, with the reason, rather than hidden.

import { isUnavailable, stateText, useEngines } from "./EnginesContext";

export function EngineSwitch() {
  const { engines, choice, choose, effective } = useEngines();
  if (!engines || engines.engines.length === 0) return null;
  const selected = choice ?? engines.default;
  return (
    <fieldset className="engine-switch">
      <legend className="visually-hidden">推理后端</legend>
      <span className="engine-switch-label" aria-hidden="true">
        后端
      </span>
      {engines.engines.map((engine) => {
        const isDefault = engine.name === engines.default;
        const unavailable = isUnavailable(engine);
        const title = [
          `${engine.label}（${stateText(engine)}）`,
          unavailable && engine.unavailable_reason && `原因：${engine.unavailable_reason}`,
          engine.model && `模型：${engine.model}`,
          isDefault && "全站默认",
          engine.error && `错误：${engine.error}`,
        ]
          .filter(Boolean)
          .join("\n");
        return (
          <label
            key={engine.name}
            className={`engine-option state-${unavailable ? "unavailable" : engine.state}`}
            title={title}
          >
            <input
              type="radio"
              name="engine"
              value={engine.name}
              checked={selected === engine.name}
              disabled={unavailable || (engine.state !== "ready" && !isDefault)}
              onChange={() => choose(isDefault ? null : engine.name)}
            />
            <span className="engine-dot" aria-hidden="true" />
            <span className="engine-name">{engine.label}</span>
            <span className="visually-hidden">
              ，{stateText(engine)}
              {unavailable && engine.unavailable_reason ? `：${engine.unavailable_reason}` : ""}
              {isDefault ? "，默认" : ""}
            </span>
          </label>
        );
      })}
      {effective && effective.state !== "ready" && (
        <span className="engine-status" role="status">
          {effective.label}：{stateText(effective)}
        </span>
      )}
    </fieldset>
  );
}
