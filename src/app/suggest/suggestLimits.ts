/** Every knob of the engine, in one place. */
export const SUGGEST_LIMITS = {
  /** Top artists whose discographies are read (one albums request each when cold). */
  artistsForReleases: 3,
  /** Album track lists read per answer when cold (deeper cuts and new releases together). */
  albumFetches: 4,
  /** Genres searched per answer (one request each when cold; ≤ 10 tracks a page in development mode). */
  genreSearches: 2,
  /** A release this recent is "new"; older albums are deeper cuts. */
  newReleaseDays: 120,
  /** Candidates checked against the library (one request per 40) before the final pick. */
  libraryChecks: 40,
  /** "Members like you" looked at, and the window their plays count in. */
  similarPeers: 8,
  /** Members compared with the asker at most (those sharing most plays of the asker's top artists). */
  peersCompared: 60,
  radarDays: 30,
  /** The history window the member's taste is read from, and the longer one when it is thin. */
  tasteDays: 28,
  thinTasteDays: 180,
  /** Fewer plays than this in the taste window: the history is thin, ask Spotify's top artists. */
  thinPlays: 30,
} as const;

/** Requests a cold answer may cost at most (the budget), and when warm. */
export const COLD_REQUEST_CAP = 15;
export const WARM_REQUEST_CAP = 3;
