export const SUGGESTED_QUESTIONS = [
  "莆仙话“今天”怎么说？",
  "如何用莆仙话说“吃饭”？",
  "莆仙话有几个声调？",
  "莆仙戏是什么？",
];

export function SuggestedQuestions({ onAsk, disabled }: { onAsk: (question: string) => void; disabled: boolean }) {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">问问莆仙话</h2>
      <p className="muted">回答来自知识库，每条回答都附有出处，点击 [1] 等编号可查看原文。</p>
      <ul className="suggestions" aria-label="推荐问题">
        {SUGGESTED_QUESTIONS.map((question) => (
          <li key={question}>
            <button type="button" className="suggestion" disabled={disabled} onClick={() => onAsk(question)}>
              {question}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
