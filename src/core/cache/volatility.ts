/**
 * How often the value of a dynamic part of a prompt changes, guessed from the expression as written.
 * These are heuristics over source text (names and calls), not evaluation: the patterns are data so
 * that each one is tested on its own, and a part that matches none is merely "dynamic".
 * Why they matter: any change before a static part ends the cached prefix there [reference §1, §15 A–C].
 */

/** What a dynamic part is, as far as its source text tells. */
export type VolatilityKind =
  | 'time' // changes on every call: now(), Date.now(), time.time(), toISOString()
  | 'date' // changes once a day: date.today(), a %Y-%m-%d format, toDateString()
  | 'random' // a fresh random value or id per call: uuid4(), nanoid(), Math.random(), request ids
  | 'user' // differs per user or session: user.name, user_id, email, session
  | 'unordered' // a collection whose iteration order is not fixed: set(...), os.listdir(), Object.keys(...)
  | 'json' // JSON serialised in the key order of the data: json.dumps(x) without sort_keys, JSON.stringify(x)
  | 'whitespace' // text that often carries varying leading/trailing whitespace: file contents, unstripped input
  | 'dynamic'; // anything else: a template variable whose values we cannot guess

/** How often a value of this kind changes between calls, for the cost of a miss. */
type ChangeRate = 'per-call' | 'per-user' | 'daily' | 'unknown';

export interface Volatility {
  kind: VolatilityKind;
  rate: ChangeRate;
  /** Set when the pattern is a strong signal; weak ones give info-level warnings. */
  confident: boolean;
  /** What the pattern recognised, for the message ("a time", "a random id"). */
  label: string;
}

interface Pattern {
  kind: VolatilityKind;
  rate: ChangeRate;
  confident: boolean;
  label: string;
  test: RegExp;
}

// strftime fields that change more often than daily (https://docs.python.org/3/library/datetime.html#format-codes).
const SUB_DAILY_STRFTIME = /%[-#]?[HIMSfpXcsTRrlkz]/;
const STRFTIME_SPEC = /%[-#]?[A-Za-z]/;

/** Checked in order; the first match wins, so the more specific patterns come first. */
export const VOLATILITY_PATTERNS: readonly Pattern[] = [
  { kind: 'date', rate: 'daily', confident: true, label: 'a date', test: /\bdate\.today\(\)|\.toDateString\(\)|\.toLocaleDateString\(|\btoday\(\)\.date\(\)|\.date\(\)\.isoformat\(\)/ },
  { kind: 'time', rate: 'per-call', confident: true, label: 'the current time', test: /\b(?:datetime|dt|pendulum|arrow)\s*\.\s*(?:now|utcnow|today)\s*\(|\btime\.(?:time|time_ns|monotonic|perf_counter|ctime|localtime|gmtime|strftime)\s*\(|\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)|\bnew\s+Date\b(?!\s*\()|\.toISOString\s*\(|\.toLocale(?:Time)?String\s*\(|\bperformance\.now\s*\(|\btimezone\.now\s*\(|\bnow\s*\(\s*\)|\b(?:timestamp|now|current_time|currentTime)\b/ },
  { kind: 'random', rate: 'per-call', confident: true, label: 'a random value or request id', test: /\buuid[1-7]?\b|\buuid\s*\.|\brandomUUID\b|\bnanoid\b|\bulid\b|\bMath\.random\b|\brandom\b|\bsecrets\.|\btoken_hex\b|\bshortid\b|\bcuid\b|\b(?:request|req|trace|span|correlation|message|msg|run|call)_?[iI]d\b|\bnonce\b|\bidempotency/i },
  { kind: 'user', rate: 'per-user', confident: true, label: 'a user- or session-specific value', test: /\b(?:current_?)?user(?:_?name|_?id|_?email)?\b|\busername\b|\bemail\b|\bsession(?:_?id)?\b|\bcustomer(?:_?(?:name|id|email))?\b|\baccount_?id\b|\btenant(?:_?id)?\b|\b(?:first|last|full|display)_?[nN]ame\b|\bprofile\b/i },
  { kind: 'unordered', rate: 'per-call', confident: true, label: 'a set, whose order varies between processes (string hashing is randomised)', test: /(?<![\w.])(?:frozen)?set\s*\(|^\s*\{[^{}:]*\bfor\b[^{}:]*\bin\b[^{}:]*\}\s*$|^\s*\{[^{}:]+,[^{}:]+\}\s*$/ },
  { kind: 'unordered', rate: 'unknown', confident: false, label: 'a listing whose order is not guaranteed', test: /\bos\.listdir\s*\(|\bos\.scandir\s*\(|\bglob\.i?glob\s*\(|\.glob\s*\(|\.iterdir\s*\(|\breaddirSync\s*\(|\breaddir\s*\(|\bObject\.(?:keys|values|entries)\s*\(|\bnew\s+Set\s*\(/ },
  { kind: 'json', rate: 'unknown', confident: false, label: 'JSON in the key order of the data', test: /\bjson\.dumps\s*\((?![^)]*\bsort_keys\s*=\s*True)|\bJSON\.stringify\s*\(/ },
  { kind: 'whitespace', rate: 'unknown', confident: false, label: 'text that may carry varying leading or trailing whitespace', test: /\.read\s*\(|\.read_text\s*\(|\.readlines\s*\(|\breadFileSync\s*\(|\breadFile\s*\(|\binput\s*\(|\bstdin\b|\.text\b(?!\s*\.\s*(?:strip|trim))/ },
];

const STRIPPED = /\.(?:strip|rstrip|lstrip|trim|trimEnd|trimStart)\s*\(\s*\)\s*$/;
const LITERAL = /^\s*(?:[rbuf]*(['"]).*\1|`[^`$]*`|-?\d[\d_.]*|True|False|None|null|true|false|undefined)\s*$/s;

/**
 * Classifies one dynamic part from its expression and its placeholder text (the format spec of
 * `{datetime.now():%Y-%m-%d}` lives only in the placeholder). Never throws.
 */
export function classifyExpression(expression: string | undefined, placeholder = ''): Volatility {
  const source = (expression ?? placeholder).trim();
  const dynamic: Volatility = { kind: 'dynamic', rate: 'unknown', confident: false, label: 'a value that changes between calls' };
  if (source === '' || LITERAL.test(source)) return dynamic;
  for (const pattern of VOLATILITY_PATTERNS) {
    if (!pattern.test.test(source)) continue;
    if (pattern.kind === 'whitespace' && STRIPPED.test(source)) continue;
    if (pattern.kind === 'time' && isDateOnly(source, placeholder)) return { kind: 'date', rate: 'daily', confident: true, label: 'a date' };
    return { kind: pattern.kind, rate: pattern.rate, confident: pattern.confident, label: pattern.label };
  }
  return dynamic;
}

/** A time formatted down to the day (`:%Y-%m-%d`, `.strftime("%d %B %Y")`, `.date()`) changes once a day. */
function isDateOnly(expression: string, placeholder: string): boolean {
  if (/\.date\s*\(\s*\)/.test(expression) || /\.toDateString\(|toLocaleDateString\(/.test(expression)) return true;
  const strftime = /\.strftime\s*\(\s*[rbuf]*(['"])(.*?)\1/.exec(expression)?.[2];
  const spec = /^\{[^{}]*?:([^{}]*)\}$/.exec(placeholder.replace(/![rsa](?=:)/, ''))?.[1];
  const format = strftime ?? (spec && STRFTIME_SPEC.test(spec) ? spec : undefined);
  return format !== undefined && !SUB_DAILY_STRFTIME.test(format);
}

