/** Real Spotify micro-genre names the seeded artists draw from. */
export const SPOTIFY_GENRES = [
  'indie rock', 'modern rock', 'permanent wave', 'garage rock', 'alternative rock', 'classic rock', 'album rock', 'post-punk', 'shoegaze', 'dream pop',
  'indie pop', 'bedroom pop', 'art pop', 'chamber pop', 'dance pop', 'pop', 'electropop', 'synthpop', 'hyperpop', 'k-pop', 'k-pop boy group', 'j-pop',
  'hip hop', 'rap', 'uk hip hop', 'conscious hip hop', 'trap', 'melodic drill', 'uk drill', 'southern hip hop', 'east coast hip hop', 'lo-fi hip hop',
  'r&b', 'neo soul', 'alternative r&b', 'contemporary r&b', 'soul', 'motown', 'funk', 'disco', 'nu disco',
  'house', 'deep house', 'tech house', 'techno', 'minimal techno', 'uk garage', 'drum and bass', 'dubstep', 'edm', 'electronica', 'idm', 'ambient', 'downtempo', 'trip hop',
  'jazz', 'cool jazz', 'bebop', 'contemporary jazz', 'jazz fusion', 'vocal jazz', 'uk jazz',
  'classical', 'baroque', 'early romantic era', 'impressionism', 'contemporary classical', 'minimalism', 'neoclassical',
  'folk', 'indie folk', 'stomp and holler', 'americana', 'country', 'contemporary country', 'bluegrass', 'singer-songwriter', 'chamber folk',
  'metal', 'heavy metal', 'death metal', 'black metal', 'metalcore', 'doom metal', 'thrash metal', 'nu metal',
  'punk', 'pop punk', 'hardcore punk', 'emo', 'skate punk',
  'latin', 'reggaeton', 'trap latino', 'latin pop', 'bachata', 'salsa', 'cumbia', 'urbano latino',
  'reggae', 'dancehall', 'roots reggae', 'afrobeats', 'afropop', 'amapiano', 'highlife',
  'blues', 'delta blues', 'electric blues', 'soundtrack', 'video game music', 'anime', 'city pop', 'escape room', 'pov: indie', 'gospel', 'worship',
];
