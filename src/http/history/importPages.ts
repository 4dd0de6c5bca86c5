import type { ImportLinkRecord } from '../../app/history/importLinks.js';
import { cspHash, discordAccount, escapeHtml, page } from '../linking/pages.js';
import { contentSecurityPolicy } from '../securityHeaders.js';

const STYLE = `
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#313338;color:#F2F3F5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:520px;margin:24px;padding:32px;background:#2B2D31;border-radius:12px;border-top:4px solid #5865F2}
main.ok{border-top-color:#57F287}main.problem{border-top-color:#ED4245}
h1{font-size:22px;margin:0 0 12px}p{color:#DBDEE1;margin:0 0 12px}.brand{color:#B5BAC1;font-size:13px;margin-top:24px}
#drop{display:block;border:2px dashed #4E5058;border-radius:10px;padding:28px;text-align:center;cursor:pointer;color:#B5BAC1}
#drop.over{border-color:#5865F2;color:#F2F3F5}input{display:none}
progress{width:100%;height:10px;margin-top:16px}#status{margin-top:12px;white-space:pre-line}
`;

/**
 * Sends the dropped files to the page's own address and shows the server's lines as they come.
 * A refusal that left the link usable (`linkStillWorks`) lets the member drop the right files again.
 */
const SCRIPT = `
(function(){
var drop=document.getElementById('drop'),input=document.getElementById('files'),bar=document.getElementById('bar'),status=document.getElementById('status'),box=document.getElementById('box'),busy=false;
var again=' This link still works: drop your files to try again.';
function say(t,tone){status.textContent=t;if(tone)box.className=tone;}
function ready(){busy=false;drop.hidden=false;bar.hidden=true;input.value='';}
function body(files){
  if(files.length===1&&/\\.zip$/i.test(files[0].name))return files[0];
  var parts=[${JSON.stringify('ENCORE-FILES\n')}];
  for(var i=0;i<files.length;i++){parts.push(files[i].size+' '+encodeURIComponent(files[i].name)+'\\n');parts.push(files[i]);}
  return new Blob(parts);
}
function send(files){
  if(busy||!files.length)return;busy=true;drop.hidden=true;bar.hidden=false;box.className='';say('Uploading…');
  var xhr=new XMLHttpRequest(),seen=0,ended=false;xhr.open('POST',location.pathname);
  xhr.upload.onprogress=function(e){if(e.lengthComputable){bar.value=e.loaded/e.total;say('Uploading… '+Math.round(100*e.loaded/e.total)+'%');}};
  xhr.upload.onload=function(){bar.removeAttribute('value');say('Reading your history…');};
  function show(line){
    try{var m=JSON.parse(line);}catch(e){return;}
    if(m.progress)say((m.progress.stage==='storing'?'Saving ':'Reading your history… ')+m.progress.plays.toLocaleString('en-US')+' plays from '+m.progress.files+' file'+(m.progress.files===1?'':'s')+(m.progress.stage==='storing'?'…':''));
    if(m.done){ended=true;bar.hidden=true;say(m.done.message,'ok');}
    if(m.error){ended=true;bar.hidden=true;if(m.linkStillWorks){ready();say(m.error+again,'problem');}else say(m.error,'problem');}
  }
  function lines(last){
    var text=xhr.responseText,nl;
    while((nl=text.indexOf('\\n',seen))!==-1){var line=text.slice(seen,nl);seen=nl+1;if(line)show(line);}
    if(last&&seen<text.length){show(text.slice(seen));seen=text.length;}
  }
  xhr.onprogress=function(){lines(false);};
  xhr.onload=function(){lines(true);if(!ended){ready();say('The upload failed (HTTP '+xhr.status+').'+again+' If it keeps failing, run /import in Discord for a fresh link.','problem');}};
  xhr.onerror=function(){ready();say('The upload was interrupted.'+again+' If it says the link has expired, run /import in Discord for a fresh one.','problem');};
  xhr.send(body(files));
}
input.onchange=function(){send(input.files);};
drop.ondragover=function(e){e.preventDefault();drop.className='over';};
drop.ondragleave=function(){drop.className='';};
drop.ondrop=function(e){e.preventDefault();drop.className='';send(e.dataTransfer.files);};
})();
`;

/** The upload page's policy: its own style and script (by hash), and its POST to its own address. */
export const UPLOAD_PAGE_CSP = contentSecurityPolicy({
  styles: [cspHash(STYLE)],
  scripts: [cspHash(SCRIPT)],
  connectSelf: true,
});

/**
 * GET /import/:token: the upload page, in Encore's page style, self-contained (no external
 * assets). It names the Discord account the history goes into, as the link page does, so whoever
 * opens a forwarded link sees it isn't theirs. The member drops Spotify's zip or the JSON files
 * inside it; the page POSTs them to its own address (never written into the page), shows the
 * upload's progress, then each file read and the result, as the server streams them (one JSON
 * object per line).
 */
export function uploadPage(link: ImportLinkRecord): { status: number; html: string } {
  return {
    status: 200,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Encore – Import your Spotify history</title><style>${STYLE}</style></head><body><main id="box"><h1>Import your Spotify history</h1>
<p id="who">Your history goes to ${escapeHtml(discordAccount(link))}. Not you? Close this page — nothing happens unless you upload.</p>
<p>Drop the zip Spotify emailed you (“my_spotify_data.zip”), or the <code>Streaming_History_Audio_*.json</code> or <code>StreamingHistory_music_*.json</code> files inside it. Plays you already have are not counted twice. This link imports once.</p>
<label id="drop">Drop your files here, or click to choose<input id="files" type="file" multiple accept=".zip,.json,application/zip,application/json"></label>
<progress id="bar" max="1" value="0" hidden></progress><p id="status" role="status" aria-live="polite"></p>
<p class="brand">Encore · Spotify in Discord</p></main><script>${SCRIPT}</script></body></html>`,
  };
}

export const expiredImportPage = () => ({
  status: 410,
  html: page(
    'This link has expired',
    'Links from /import last ten minutes and import once. Run /import in Discord to get a fresh one.',
    'problem',
  ),
});
