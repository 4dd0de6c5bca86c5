export {
  MAX_PER_ARTIST,
  isEligible,
  rankSuggestions,
  scoreCandidate,
  songKey,
  type Candidate,
  type CandidateReason,
  type CandidateSource,
  type CandidateTrack,
  type RankContext,
  type RankedCandidate,
} from './rank.js';
export {
  MIN_SIMILARITY,
  SOURCES,
  affinities,
  fineGenrePlays,
  normaliseDate,
  radarSignal,
  recency,
  similarMembers,
  sourceWeightsFromLikes,
} from './taste.js';
