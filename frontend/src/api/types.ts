// Bodies of the backend's API (docs/api.md); field names as the server sends them.

export type Role = "user" | "admin";

export interface User {
  id: number;
  username: string;
  role: Role;
  is_active: boolean;
  created_at: string;
  last_login_at?: string | null;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

/** One form of a reading; `attested`: the entry's own source records it, else derived by our converter. */
export interface PronunciationForm {
  text: string;
  attested: boolean;
  basis: "source" | "dictionary" | "rule" | string;
}

export type RomanizationSystem = "psp" | "buc" | "ipa";

/** A lexicon entry's readings: {psp|buc|ipa: {citation, connected}}. */
export type Pronunciations = Partial<
  Record<RomanizationSystem, { citation?: PronunciationForm; connected?: PronunciationForm }>
>;

export interface Source {
  number: number;
  id: string;
  doc_id: string;
  title: string;
  section: string;
  text: string;
  score: number;
  found_by?: Record<string, Record<string, number>>;
  pronunciations?: Pronunciations;
}

/** A lexicon entry that answers a question about a word: the card is what the answer states. */
export interface WordCard {
  entry_id: string;
  doc_id: string;
  headword: string;
  simplified: string;
  glosses: string[];
  point: string;
  note: string;
  source: string;
  match: string;
  pronunciations: Pronunciations;
  english: string[];
  /** The word of the question it answers (a list question asks about several). */
  term?: string;
}

/** A Puxian word an answer presents, with its lexicon entry (null: the lexicon lacks it). */
export interface LinkedTerm {
  text: string;
  entry: WordCard | null;
}

/** What replaced an answer that failed its grounding check ("" when it passed). */
export type Fallback = "" | "regenerated" | "card" | "extractive" | "truncated";

export interface RomanizeSyllable {
  input: string;
  initial: string;
  final: string;
  tone: number | null;
  tone_name: string | null;
  point: string;
  psp: string;
  buc: string;
  buc_candidates: string[];
  buc_basis: string;
  ipa: string;
  connected_psp: string;
  connected_ipa: string;
  note: string | null;
}

export interface RomanizeWord {
  input: string;
  system: RomanizationSystem;
  hanzi: string | null;
  written: Record<RomanizationSystem, string>;
  connected: Record<RomanizationSystem, string>;
  connected_basis: string;
  syllables: RomanizeSyllable[];
}

export interface RomanizeResponse {
  input: string;
  source: RomanizationSystem | null;
  point: string;
  text: Partial<Record<RomanizationSystem, string>>;
  citation: Record<RomanizationSystem, string>;
  connected: Record<RomanizationSystem, string>;
  words: RomanizeWord[];
}

export interface Timings {
  retrieval_ms?: number;
  ttft_ms?: number;
  generation_ms?: number;
  total_ms?: number;
  tokens_per_s?: number;
}

export type Rating = "up" | "down";

export interface Feedback {
  message_id: number;
  rating: Rating;
  comment: string;
  created_at: string;
  updated_at: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  message_count: number;
}

export interface Page<T> {
  data: T[];
  count: number;
}

export interface StoredMessage {
  id: number;
  role: "user" | "assistant";
  content: string;
  created_at: string;
  sources: Source[];
  timings: Timings;
  usage: Record<string, number>;
  engine: string;
  finish_reason: string;
  feedback: Feedback | null;
  cards?: WordCard[];
  terms?: LinkedTerm[];
  grounded?: boolean | null;
  fallback?: Fallback;
}

export interface ConversationDetail extends ConversationSummary {
  messages: StoredMessage[];
}

export interface ChatResponse {
  answer: string;
  sources: Source[];
  timings: Timings;
  usage: Record<string, number>;
  engine: string;
  finish_reason: string;
  conversation_id: string;
  message_id: number;
  cards?: WordCard[];
  terms?: LinkedTerm[];
  grounded?: boolean | null;
  fallback?: Fallback;
}

export type EngineKind = "transformers" | "vllm" | "openai";
export type EngineState = "unloaded" | "loading" | "ready" | "failed";

/** Checked-in figures for one engine (backend/app/engines/measurements.json); null: not measured. */
export interface EngineMeasurements {
  measured_on: string;
  machine: string;
  accuracy?: number | null;
  grounded_rate?: number | null;
  refusal_recall?: number | null;
  false_refusal_rate?: number | null;
  ttft_p50_seconds?: number | null;
  answer_p50_seconds?: number | null;
  tokens_per_second?: number | null;
  load_seconds?: number | null;
  memory_mb?: number | null;
  source?: string;
}

export interface Engine {
  name: string;
  kind: EngineKind;
  label: string;
  state: EngineState;
  /** false: it cannot run on this machine as configured (no GPU, vLLM missing, model not prepared). */
  available?: boolean;
  unavailable_reason?: string | null;
  model: string;
  device: string;
  memory_mb: number | null;
  progress: number | null;
  error: string | null;
  /** preparing, loading model, warming up; draining, unloading (after a switch away). */
  stage?: string | null;
  in_flight?: number;
  keep_loaded?: boolean;
  is_default?: boolean;
  load_seconds?: number | null;
  measurements?: EngineMeasurements | null;
}

export interface Engines {
  default: string;
  switching_to?: string | null;
  engines: Engine[];
}

export interface KnowledgeDocument {
  id: string;
  title: string;
  collection: "curated" | "imported" | string;
  kind: string;
  chunk_count: number;
  source: string;
  updated_at: string;
  warnings: string[];
}

export interface KnowledgeDocuments extends Page<KnowledgeDocument> {
  chunks: number;
  errors: string[];
  max_upload_bytes: number;
}

export type UploadStatus = "added" | "updated" | "unchanged" | "failed";

export interface UploadResult {
  filename: string;
  status: UploadStatus;
  document_id: string | null;
  title: string | null;
  chunks: number;
  errors: string[];
  warnings: string[];
}

export interface ReindexReport {
  added: string[];
  updated: string[];
  unchanged: number;
  deleted: string[];
  chunks_embedded: number;
  chunks: number;
  errors: string[];
  warnings: string[];
  seconds: number;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyCreated extends ApiKey {
  key: string;
}

export interface UploadResponse {
  results: UploadResult[];
  seconds: number;
}
