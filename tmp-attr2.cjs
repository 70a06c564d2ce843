const fs=require('fs');const zlib=require('zlib');const {SourceMapConsumer}=require('source-map');
(async()=>{
const mf=fs.readdirSync("public/build").find(n=>n.startsWith("manifest-"));
const m=JSON.parse(fs.readFileSync("public/build/"+mf,"utf8").replace(/^window\.__remixManifest=/,"").replace(/;\s*$/,"").replace(/\n\/\/# sourceMappingURL.*$/,''));
const imps=u=>[...fs.readFileSync("public"+u,"utf8").matchAll(/(?:\bfrom|\bimport)\s*"([^"]+\.js)"/g)].map(x=>x[1]);
const clos=(urls,s=new Set())=>{const st=[...urls];while(st.length){const u=st.pop();if(s.has(u))continue;s.add(u);st.push(...imps(u))}return s};
const base=clos([m.entry.module,...m.entry.imports]);
const id=process.argv[2];const all=new Set(base);for(let r=m.routes[id];r;r=m.routes[r.parentId])clos([r.module,...(r.imports||[])],all);
const by={};
for(const u of all){ if(base.has(u)) continue; const file="public"+u; const code=fs.readFileSync(file,'utf8');
 if(!fs.existsSync(file+'.map')) continue; const c=await new SourceMapConsumer(JSON.parse(fs.readFileSync(file+'.map','utf8')));
 const lines=code.split('\n');const ms=[];c.eachMapping(x=>ms.push(x));
 for(let i=0;i<ms.length;i++){const x=ms[i],n=ms[i+1];const len=(n&&n.generatedLine===x.generatedLine)?n.generatedColumn-x.generatedColumn:lines[x.generatedLine-1].length-x.generatedColumn;const k=(x.source||'?').replace(/.*node_modules\//,'nm:').replace(/^(\.\.\/)+/,'');by[k]=(by[k]||0)+len}}
let t=0;for(const [k,v] of Object.entries(by).sort((a,b)=>b[1]-a[1])){t+=v;console.log(String(v).padStart(6),k)}console.log('raw total',t);
})();
