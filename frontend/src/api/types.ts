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
}

export type EngineKind = "transformers" | "vllm" | "openai";
export type EngineState = "unloaded" | "loading" | "ready" | "failed";

export interface Engine {
  name: string;
  kind: EngineKind;
  label: string;
  state: EngineState;
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
