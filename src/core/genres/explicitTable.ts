import type { ParentGenreId } from './familyTree.js';

/**
 * Real Spotify genre names whose words mislead the word rules, or carry no telling word at all
 * ("stomp and holler", "escape room", "mellow gold"). Every name is in canonical form
 * (see normaliseGenre); a test keeps it so.
 */
const TABLE: Readonly<Partial<Record<ParentGenreId, readonly string[]>>> = {
  pop: [
    'art pop', 'pop rock', 'dance pop', 'post-teen pop', 'neo mellow', 'metropopolis', 'shiver pop', 'bubblegum dance',
    'candy pop', 'electropop', 'indie poptimism', 'viral pop', 'pop dance', 'social media pop', 'modern alternative pop',
    'acoustic pop', 'chill pop', 'europop', 'eurovision', 'scandipop', 'swedish pop', 'danish pop', 'norwegian pop',
    'german pop', 'french pop', 'italian pop', 'dutch pop', 'russian pop', 'turkish pop', 'greek pop', 'polish pop',
    'australian pop', 'canadian pop', 'uk pop', 'irish pop', 'pop emo', 'sophisti-pop', 'idol', 'boy band', 'girl group',
    'operatic pop', 'classical crossover', 'pop soft rock', 'levenslied', 'nederpop', 'schlager', 'chanson',
    'variete francaise', 'new romantic', 'synthpop', 'pixie', 'alt z', 'gen z singer-songwriter', 'bedroom soul',
    'cabaret', 'musica romantica', 'sad pop', 'new wave pop',
  ],
  rock: [
    'mellow gold', 'permanent wave', 'album rock', 'heartland rock', 'yacht rock', 'symphonic rock', 'celtic rock',
    'irish rock', 'new wave', 'rap rock', 'funk rock', 'post-grunge', 'grunge', 'zolo', 'neo-psychedelic',
    'modern rock', 'glam rock', 'piano rock', 'beatlesque', 'british invasion', 'merseybeat', 'protopunk',
    'jam band', 'southern rock', 'swamp rock', 'comic rock', 'industrial', 'electronic rock',
    'krautrock', 'space rock', 'stoner rock', 'desert rock', 'roots rock',
    'deutschrock', 'dance rock',
    'power pop', 'pub rock', 'instrumental rock',
  ],
  'hip-hop': [
    'melodic drill', 'uk drill', 'jazz rap', 'country rap', 'pop rap', 'conscious hip hop', 'southern hip hop',
    'atl hip hop', 'chicago rap', 'drill', 'brooklyn drill', 'bronx drill', 'ny drill', 'sexy drill', 'jersey drill',
    'trap', 'dark trap', 'melodic rap', 'rap conscient', 'francoton', 'pop urbaine', 'rap francais', 'deutschrap',
    'german hip hop', 'italian hip hop', 'uk hip hop', 'grime', 'lo-fi hip hop', 'instrumental hip hop',
    'abstract hip hop', 'underground hip hop', 'east coast hip hop', 'west coast rap', 'gangster rap', 'hardcore hip hop',
    'dirty south rap', 'crunk', 'hyphy', 'g funk', 'boom bap', 'cloud rap', 'emo rap', 'sad rap', 'rage rap',
    'plugg', 'pluggnb', 'drift phonk', 'phonk', 'brazilian phonk', 'memphis rap', 'horrorcore', 'nerdcore',
    'christian hip hop', 'afro trap', 'korean hip hop', 'japanese hip hop', 'chinese hip hop',
    'digicore', 'glitchcore', 'hip pop', 'new jersey rap', 'detroit hip hop', 'houston rap', 'miami hip hop',
    'alternative hip hop', 'experimental hip hop', 'industrial hip hop', 'trap queen',
    'scam rap', 'bass trap', 'vapor trap', 'philly rap', 'dmv rap', 'australian hip hop', 'canadian hip hop',
    'nigerian hip hop', 'desi hip hop', 'russian hip hop', 'polish hip hop', 'spanish hip hop', 'mexican hip hop',
  ],
  electronic: [
    'escape room', 'electro swing', 'jazz house', 'jazztronica', 'tropical house', 'afro house', 'afro tech',
    'drill and bass', 'indietronica', 'chillwave', 'vapor soul', 'vapor twitch', 'aussietronica', 'float house',
    'filter house', 'french touch', 'new french touch', 'fidget house', 'complextro', 'brostep', 'gaming edm', 'pop edm', 'edm',
    'big room', 'electro house', 'progressive house', 'progressive trance', 'uplifting trance', 'vocal trance',
    'bass house', 'stutter house', 'tech house', 'deep house', 'minimal techno', 'microhouse', 'acid house',
    'hardstyle', 'rawstyle', 'hard trance', 'hard techno', 'uk garage', '2-step', 'future garage', 'bassline',
    'liquid funk', 'neurofunk', 'jump up', 'jungle', 'breakcore', 'nightcore', 'hyperpop', 'glitch hop',
    'wonky', 'purple sound', 'fluxwork', 'wave', 'witch house', 'vaporwave', 'synthwave', 'darkwave', 'coldwave',
    'minimal wave', 'new beat', 'italo disco', 'hi-nrg', 'eurodance', 'eurobeat', 'electroclash', 'trip hop',
    'downtempo', 'chillstep', 'melodic dubstep', 'dub techno', 'rumba electronica', 'moombahton',
    'baile funk edm', 'electronica', 'idm', 'ebm', 'aggrotech', 'futurepop', 'dark electro', 'electro',
    'footwork', 'jersey club', 'gqom', 'kuduro electronico', 'lo-fi house', 'outsider house', 'soulful house',
    'disco house', 'nu disco', 'french house', 'slap house', 'brazilian bass', 'deep tropical house', 'sky room',
    'indie electronica', 'folktronica', 'livetronica', 'electronic trap', 'future bass', 'kawaii future bass',
    'chiptune', 'bitpop', 'otacore', 'anime lo-fi',
  ],
  'rnb-soul': [
    'new jack swing', 'trap soul', 'quiet storm', 'urban contemporary', 'memphis soul', 'chicago soul', 'motown',
    'neo soul', 'alternative r&b', 'contemporary r&b', 'indie r&b', 'chill r&b', 'uk r&b', 'canadian contemporary r&b',
    'pop soul', 'blue-eyed soul', 'classic soul', 'southern soul', 'deep soul', 'retro soul', 'british soul',
    'rhythm and blues', 'doo-wop', 'hopebeat', 'afro r&b', 'k-r&b', 'dark r&b',
  ],
  indie: [
    'pov: indie', 'stomp and flutter', 'chamber pop', 'chamber psych', 'baroque pop', 'britpop', 'madchester',
    'jangle pop', 'twee pop', 'noise pop', 'lo-fi indie', 'bedroom pop', 'dream pop', 'shoegaze',
    'slowcore', 'sadcore', 'math rock', 'midwest emo', 'post-rock', 'modern dream pop', 'indie garage rock',
    'alternative dance', 'new rave', 'dance-punk', 'indie rock', 'modern alternative rock', 'alternative rock',
    'alternative pop', 'freak folk', 'art rock', 'indie soul', 'indie surf', 'la indie',
    'pittsburgh indie', 'olympia wa indie', 'small room', 'fourth world', 'etherpop', 'weirdcore', 'gauze pop',
    'c86', 'dunedin sound', 'paisley underground', 'landfill indie', 'garage rock revival', 'post-punk revival',
  ],
  metal: [
    'nu metal', 'alternative metal', 'rap metal', 'metalcore', 'deathcore', 'djent', 'blackgaze', 'neue deutsche harte',
    'symphonic metal', 'power metal', 'glam metal', 'sludge metal', 'stoner metal', 'doom metal', 'drone metal',
    'christian metal', 'folk metal', 'nwobhm', 'kawaii metal', 'j-metal', 'trancecore', 'nintendocore', 'crabcore',
  ],
  punk: [
    'ska punk', 'skacore', 'pop punk', 'easycore', 'post-punk', 'punk blues', 'folk punk', 'celtic punk', 'horror punk',
    'skate punk', 'hardcore punk', 'post-hardcore', 'melodic hardcore', 'screamo', 'emo', 'emocore', 'riot grrrl',
    'oi', 'crust punk', 'd-beat', 'powerviolence', 'cowpunk', 'psychobilly', 'egg punk',
  ],
  latin: [
    'trap latino', 'urbano latino', 'reggaeton', 'reggaeton flow', 'latin pop', 'latin hip hop', 'latin christian',
    'musica mexicana', 'corridos tumbados', 'corrido', 'sad sierreno', 'sierreno', 'banda', 'norteno', 'grupera',
    'ranchera', 'mariachi', 'cumbia', 'cumbia villera', 'tropical', 'salsa', 'bachata', 'merengue', 'vallenato',
    'dembow', 'trap argentino', 'trap chileno', 'rap chileno', 'cuarteto', 'rkt', 'neoperreo', 'nueva musica urbana',
    'pop urbano', 'rock en espanol', 'latin alternative', 'latin indie', 'latin rock', 'flamenco', 'nuevo flamenco',
    'rumba', 'bolero', 'trova', 'nueva cancion', 'tango', 'mambo', 'cha-cha-cha', 'son cubano', 'timba',
    'latin jazz', 'rock nacional', 'movimiento alterado', 'tejano', 'tex-mex', 'chicano rap', 'mexican indie',
  ],
  brazilian: [
    'sertanejo', 'sertanejo universitario', 'sertanejo pop', 'agronejo', 'funk carioca', 'funk paulista', 'funk mtg',
    'funk ostentacao', 'funk consciente', 'funk rj', 'funk bh', 'brega funk', 'pagode', 'pagode baiano', 'samba',
    'mpb', 'bossa nova', 'forro', 'piseiro', 'arrocha', 'axe', 'tecnobrega', 'trap brasileiro', 'rap nacional',
    'pop nacional', 'rock nacional brasileiro', 'tropicalia', 'choro', 'velha guarda', 'nova mpb',
  ],
  'k-pop': ['k-pop', 'k-pop boy group', 'k-pop girl group', 'k-rap', 'k-indie', 'k-ballad', 'korean ost', 'korean r&b', 'trot', 'k-rock'],
  'j-pop': [
    'j-pop', 'anime', 'anime rock', 'j-rock', 'vocaloid', 'japanese vgm', 'city pop', 'shibuya-kei', 'visual kei',
    'j-idol', 'j-rap', 'japanese singer-songwriter', 'enka', 'kayokyoku', 'j-poprock', 'j-division', 'j-pixie',
  ],
  'c-pop': ['mandopop', 'cantopop', 'c-pop', 'taiwan pop', 'chinese r&b', 'chinese indie', 'hong kong indie', 'guofeng'],
  country: [
    'western swing', 'contemporary country', 'modern country rock', 'country road', 'country dawn', 'texas country',
    'red dirt', 'outlaw country', 'classic country pop', 'arkansas country', 'oklahoma country', 'bro-country',
    'honky tonk', 'nashville sound', 'bluegrass', 'progressive bluegrass', 'newgrass', 'americana', 'alt-country',
    'cowboy western', 'cajun', 'zydeco', 'country pop', 'country rock', 'australian country',
  ],
  folk: [
    'stomp and holler', 'indie folk', 'modern folk rock', 'folk-pop', 'chamber folk', 'new americana',
    'singer-songwriter', 'acoustic cover', 'sea shanties', 'celtic', 'irish folk', 'scottish folk', 'nordic folk',
    'neofolk', 'psychedelic folk', 'traditional folk', 'anti-folk', 'cantautor', 'cantautora', 'cantautorato',
    'canzone d\'autore', 'liedermacher', 'bardcore', 'ectofolk', 'pagan',
  ],
  jazz: [
    'adult standards', 'vocal jazz', 'lounge', 'easy listening', 'swing', 'big band', 'bebop', 'hard bop', 'cool jazz',
    'jazz funk', 'jazz fusion', 'smooth jazz', 'acid jazz', 'soul jazz', 'contemporary jazz', 'free jazz',
    'spiritual jazz', 'uk contemporary jazz', 'jazz piano', 'jazz trumpet', 'jazz saxophone', 'gypsy jazz', 'ragtime',
    'dixieland', 'exotica', 'torch song', 'nu jazz',
  ],
  blues: ['memphis blues', 'boogie-woogie', 'delta blues', 'chicago blues', 'electric blues', 'texas blues', 'soul blues', 'blues rock', 'modern blues', 'piedmont blues', 'jump blues'],
  'funk-disco': ['p funk', 'synth funk', 'boogie', 'disco', 'post-disco', 'classic disco', 'go-go', 'minneapolis sound', 'funk', 'deep funk', 'brit funk', 'afrofuturism'],
  classical: [
    'compositional ambient', 'neoclassical', 'neo-classical', 'modern classical', 'contemporary classical',
    'early romantic era', 'late romantic era', 'post-romantic era', 'baroque', 'classical era', 'impressionism',
    'minimalism', 'opera', 'choral', 'chamber music', 'string quartet', 'classical piano', 'orchestra',
    'indian classical', 'carnatic', 'hindustani classical',
  ],
  soundtrack: [
    'soundtrack', 'video game music', 'vgm', 'orchestral soundtrack', 'anime score', 'scorecore', 'show tunes',
    'broadway', 'hollywood', 'movie tunes', 'disney', 'musicals', 'epicore', 'trailer music', 'british soundtrack',
    'japanese soundtrack', 'chiptune soundtrack',
  ],
  ambient: [
    'lo-fi beats', 'chillhop', 'lo-fi study', 'lo-fi chill', 'lo-fi sleep', 'sleep', 'new age', 'drone',
    'dark ambient', 'ambient', 'meditation', 'healing', 'binaural', 'background music', 'focus beats', 'spa',
    'calming instrumental', 'piano cover', 'lo-fi jazzhop', 'jazz beats', 'chillout', 'environmental', 'space ambient',
  ],
  reggae: ['dancehall', 'roots reggae', 'lovers rock', 'modern reggae', 'reggae fusion', 'dub', 'ska', 'rocksteady', 'soca', 'calypso', 'ragga', 'bashment', 'uk dancehall'],
  afro: [
    'afrobeats', 'afropop', 'afrobeat', 'amapiano', 'afroswing', 'alte', 'nigerian pop', 'ghanaian pop', 'highlife',
    'azonto', 'bongo flava', 'kwaito', 'afro soul', 'afro-fusion', 'afro dancehall', 'rumba congolaise', 'ndombolo',
    'kizomba', 'kuduro', 'zouk', 'coupe-decale', 'south african pop', 'afro adura', 'street pop',
  ],
  gospel: ['ccm', 'worship', 'christian pop', 'christian alternative rock', 'christian rock', 'gospel', 'gospel r&b', 'christian music', 'praise', 'anthem worship', 'deep ccm', 'southern gospel', 'christian edm'],
  world: [
    'bollywood', 'filmi', 'desi pop', 'punjabi pop', 'bhangra', 'tamil pop', 'kollywood', 'tollywood', 'sufi',
    'qawwali', 'ghazal', 'arabic pop', 'khaleeji', 'mahraganat', 'rai', 'arabesk', 'turkish folk', 'persian pop',
    'laiko', 'rebetiko', 'mizrahi', 'klezmer', 'fado', 'polka', 'balkan brass', 'turbo folk', 'gypsy', 'throat singing',
    'dangdut', 'luk thung', 'v-pop', 'opm', 'pinoy indie', 'hawaiian', 'world', 'world fusion', 'traditional',
  ],
  experimental: ['experimental', 'avant-garde', 'noise', 'harsh noise', 'musique concrete', 'sound art', 'plunderphonics', 'no wave', 'free improvisation', 'field recordings', 'deconstructed club', 'outsider'],
  children: ["children's music", 'kindermusik', 'lullaby', 'nursery', 'cartoon', 'kids dance party', 'musica infantil'],
  'comedy-spoken': ['comedy', 'comic', 'stand-up comedy', 'spoken word', 'poetry', 'audiobook', 'parody', 'novelty'],
};

/** Exact canonical genre name → parent id. Later duplicates lose to the first listing. */
export const EXPLICIT_GENRES: ReadonlyMap<string, ParentGenreId> = (() => {
  const map = new Map<string, ParentGenreId>();
  for (const [parent, names] of Object.entries(TABLE) as Array<[ParentGenreId, readonly string[]]>) {
    for (const name of names) if (!map.has(name)) map.set(name, parent);
  }
  return map;
})();

/** The table as written, for tests that check it stays canonical and unambiguous. */
export const EXPLICIT_GENRE_TABLE = TABLE;
