// @ts-nocheck
// Generated from storyboard.schema.json by scripts/generate-validator.ts; do not edit.
// Run `pnpm --filter @storyreel/core generate` after changing the schema (a test checks it is current).
// Length in code points, as JSON Schema counts `minLength`/`maxLength` (ajv/dist/runtime/ucs2length).
function ucs2length(str) {
  let length = 0
  for (let pos = 0; pos < str.length; length++) {
    const value = str.charCodeAt(pos++)
    if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++
  }
  return length
}

export const validate = validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://storyreel.dev/schema/storyboard-v1.json","title":"storyreel storyboard","description":"A storyboard: the shots of one reel, rendered with Kling video models on WaveSpeed and stitched into one video. Reference: the README section 'The storyboard language'.","type":"object","additionalProperties":false,"required":["version","shots"],"properties":{"version":{"description":"Version of the storyboard language. Always 1.","const":1},"title":{"description":"Name of the reel, shown in the plan, the manifest and the report. Default: the file name without its extension.","type":"string","minLength":1},"description":{"description":"Free text for the people working on the reel: a logline, a brief, notes. Not sent to any model.","type":"string"},"defaults":{"description":"Values every shot inherits unless it sets its own. A default a shot's model does not take is left out of that shot (it is not an error).","type":"object","additionalProperties":false,"properties":{"model":{"$ref":"#/definitions/model"},"duration":{"$ref":"#/definitions/duration"},"guidance_scale":{"$ref":"#/definitions/guidanceScale"},"negative_prompt":{"$ref":"#/definitions/negativePrompt"},"aspect_ratio":{"$ref":"#/definitions/aspectRatio"},"takes":{"$ref":"#/definitions/takes"}}},"style":{"description":"Appended to every shot's prompt, joined with \", \" (e.g. \"cinematic, 35mm film grain\"). Counts towards the 2500-character prompt limit.","type":"string"},"output":{"description":"How the clips are assembled into the reel.","type":"object","additionalProperties":false,"properties":{"file":{"description":"File name of the reel, written in the run directory: printable characters, no folders, ending in .mp4, .mov, .mkv or .webm. Default: the title in kebab-case, with .mp4.","type":"string","pattern":"^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+\\.(mp4|mov|mkv|webm)$"},"width":{"description":"Reel width in pixels (even). Default: the first clip's width. Set width and height together.","type":"integer","minimum":16,"maximum":7680,"multipleOf":2},"height":{"description":"Reel height in pixels (even). Default: the first clip's height. Set width and height together.","type":"integer","minimum":16,"maximum":4320,"multipleOf":2},"fps":{"description":"Reel frame rate. Default: the first clip's (Kling renders 24).","type":"number","exclusiveMinimum":0,"maximum":120},"fit":{"description":"How a clip whose aspect differs from the reel's is fitted: contain (scale down and pad with black, the default) or cover (scale up and crop).","enum":["contain","cover"]},"transition":{"$ref":"#/definitions/transition"},"audio":{"description":"A soundtrack laid under the whole reel: trimmed or looped to the reel's length.","type":"object","additionalProperties":false,"required":["file"],"properties":{"file":{"description":"Audio file (mp3, m4a, wav, ...), relative to the storyboard.","type":"string","minLength":1},"fade_out":{"description":"Seconds of fade-out at the end of the reel. Default: 0.","type":"number","minimum":0,"maximum":60},"loudness":{"description":"Integrated loudness target in LUFS. Default: -14 (streaming platforms' level).","type":"number","minimum":-70,"maximum":-5}}}}},"shots":{"description":"The shots, in reel order.","type":"array","minItems":1,"items":{"description":"One shot: one clip rendered by one model.","type":"object","additionalProperties":false,"required":["id","prompt"],"properties":{"id":{"description":"Unique name of the shot, also ignoring case: letters, digits, - and _ (it names the shot's files and is what `image: { after: ID }` refers to).","type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"},"prompt":{"description":"What happens in the shot. The storyboard's style is appended; together at most 2500 characters.","type":"string","minLength":1},"notes":{"description":"Free text for people (direction, references). Not sent to any model.","type":"string"},"model":{"$ref":"#/definitions/model"},"duration":{"$ref":"#/definitions/duration"},"guidance_scale":{"$ref":"#/definitions/guidanceScale"},"negative_prompt":{"$ref":"#/definitions/negativePrompt"},"aspect_ratio":{"$ref":"#/definitions/aspectRatio"},"takes":{"$ref":"#/definitions/takes"},"pick":{"description":"The take that goes into the reel, and whose last frame the shots chained after this one start from: 1 to takes. Default: 1. `storyreel pick FILE SHOT TAKE` writes it.","type":"integer","minimum":1,"maximum":8},"image":{"description":"Start image. Omit it to start from the end of the previous shot (its end_image if it has one, else its clip's last frame). A path or https URL starts a new chain; { after: ID } starts from the last frame of an earlier shot. Image-to-video models only.","anyOf":[{"description":"A JPEG or PNG file relative to the storyboard, or an https URL.","type":"string","minLength":1},{"type":"object","additionalProperties":false,"required":["after"],"properties":{"after":{"description":"Id of an earlier shot whose clip's last frame starts this shot.","type":"string","minLength":1}}}]},"end_image":{"allOf":[{"$ref":"#/definitions/imagePath"}],"description":"Image the shot ends on (a path or https URL). Only for models with an end frame (kling-v2.0-i2v-master, kling-v2.1-i2v-pro/start-end-frame, kling-v2.5-turbo-pro/image-to-video). The next shot, if it has no image, starts from it, so both can render at once."},"trim":{"description":"The part of the clip that goes into the reel, in seconds from the clip's start.","type":"object","additionalProperties":false,"properties":{"start":{"description":"Seconds cut from the clip's start. Default: 0.","type":"number","minimum":0},"end":{"description":"Where the kept part ends, in seconds from the clip's start. Default: the clip's end.","type":"number","exclusiveMinimum":0}}},"transition":{"$ref":"#/definitions/transition"}}}}},"definitions":{"model":{"description":"Kling model: a short alias (kling-v2.1-i2v-master) or the full WaveSpeed id (kwaivgi/kling-v2.1-i2v-master). `storyreel models` lists them with their prices.","type":"string","minLength":1,"examples":["kling-v2.1-i2v-master","kling-v2.1-t2v-master","kling-v2.0-i2v-master","kling-v2.0-t2v-master","kling-v2.1-i2v-pro","kling-v2.1-i2v-standard","kling-v2.1-i2v-pro/start-end-frame","kling-v2.5-turbo-pro/image-to-video","kling-v2.5-turbo-pro/text-to-video","kling-v2.5-turbo-std/image-to-video"]},"duration":{"description":"Clip length in seconds: one the model allows (5 or 10 for the Kling 2.x models). Default: 5.","type":"integer","minimum":1},"guidanceScale":{"description":"How closely the model follows the prompt, 0 to 1 (WaveSpeed's default: 0.5). Not every model takes it.","type":"number","minimum":0,"maximum":1},"negativePrompt":{"description":"What the model should avoid (e.g. \"blur, distort, low quality\"). At most 2500 characters.","type":"string"},"aspectRatio":{"description":"Frame shape of a text-to-video shot: 16:9 (default), 9:16 or 1:1. Image-to-video shots take the shape of their start image.","enum":["16:9","9:16","1:1"]},"takes":{"description":"How many takes of the shot to render, 1 to 8 (default 1). Each take is its own paid prediction, rendered at the same time as the others, so plan prices count every take; `pick` chooses the one the reel uses.","type":"integer","minimum":1,"maximum":8},"imagePath":{"description":"A JPEG or PNG file relative to the storyboard, or an https URL. At least 300x300, at most 10 MB, aspect ratio between 1:2.5 and 2.5:1.","type":"string","minLength":1},"transition":{"description":"How the reel enters a shot from the one before: cut (default), crossfade, or fade-black (fade through black).","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"cut, crossfade or fade-black.","enum":["cut","crossfade","fade-black"]},"duration":{"description":"Seconds the transition lasts (crossfade, fade-black). Default: 0.5; ignored for a cut.","type":"number","minimum":0,"maximum":5}}}}};
const schema12 = {"description":"Kling model: a short alias (kling-v2.1-i2v-master) or the full WaveSpeed id (kwaivgi/kling-v2.1-i2v-master). `storyreel models` lists them with their prices.","type":"string","minLength":1,"examples":["kling-v2.1-i2v-master","kling-v2.1-t2v-master","kling-v2.0-i2v-master","kling-v2.0-t2v-master","kling-v2.1-i2v-pro","kling-v2.1-i2v-standard","kling-v2.1-i2v-pro/start-end-frame","kling-v2.5-turbo-pro/image-to-video","kling-v2.5-turbo-pro/text-to-video","kling-v2.5-turbo-std/image-to-video"]};
const schema13 = {"description":"Clip length in seconds: one the model allows (5 or 10 for the Kling 2.x models). Default: 5.","type":"integer","minimum":1};
const schema14 = {"description":"How closely the model follows the prompt, 0 to 1 (WaveSpeed's default: 0.5). Not every model takes it.","type":"number","minimum":0,"maximum":1};
const schema15 = {"description":"What the model should avoid (e.g. \"blur, distort, low quality\"). At most 2500 characters.","type":"string"};
const schema16 = {"description":"Frame shape of a text-to-video shot: 16:9 (default), 9:16 or 1:1. Image-to-video shots take the shape of their start image.","enum":["16:9","9:16","1:1"]};
const schema17 = {"description":"How many takes of the shot to render, 1 to 8 (default 1). Each take is its own paid prediction, rendered at the same time as the others, so plan prices count every take; `pick` chooses the one the reel uses.","type":"integer","minimum":1,"maximum":8};
const schema18 = {"description":"How the reel enters a shot from the one before: cut (default), crossfade, or fade-black (fade through black).","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"cut, crossfade or fade-black.","enum":["cut","crossfade","fade-black"]},"duration":{"description":"Seconds the transition lasts (crossfade, fade-black). Default: 0.5; ignored for a cut.","type":"number","minimum":0,"maximum":5}}};
const schema25 = {"description":"A JPEG or PNG file relative to the storyboard, or an https URL. At least 300x300, at most 10 MB, aspect ratio between 1:2.5 and 2.5:1.","type":"string","minLength":1};
const func2 = ucs2length;
const func5 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+\\.(mp4|mov|mkv|webm)$", "u");
const pattern1 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://storyreel.dev/schema/storyboard-v1.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.version === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.shots === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "shots"},message:"must have required property '"+"shots"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(((((((key0 === "version") || (key0 === "title")) || (key0 === "description")) || (key0 === "defaults")) || (key0 === "style")) || (key0 === "output")) || (key0 === "shots"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.version !== undefined){
let data0 = data.version;
if(1 !== data0){
const err3 = {instancePath:instancePath+"/version",schemaPath:"#/properties/version/const",keyword:"const",params:{allowedValue: 1},message:"must be equal to constant",schema:1,parentSchema:schema11.properties.version,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.title !== undefined){
let data1 = data.title;
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err4 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.title,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/title",schemaPath:"#/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.title.type,parentSchema:schema11.properties.title,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.description !== undefined){
let data2 = data.description;
if(typeof data2 !== "string"){
const err6 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.description.type,parentSchema:schema11.properties.description,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.defaults !== undefined){
let data3 = data.defaults;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key1 in data3){
if(!((((((key1 === "model") || (key1 === "duration")) || (key1 === "guidance_scale")) || (key1 === "negative_prompt")) || (key1 === "aspect_ratio")) || (key1 === "takes"))){
const err7 = {instancePath:instancePath+"/defaults",schemaPath:"#/properties/defaults/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.defaults,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data3.model !== undefined){
let data4 = data3.model;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err8 = {instancePath:instancePath+"/defaults/model",schemaPath:"#/definitions/model/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/defaults/model",schemaPath:"#/definitions/model/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.duration !== undefined){
let data5 = data3.duration;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err10 = {instancePath:instancePath+"/defaults/duration",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema13.type,parentSchema:schema13,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 < 1 || isNaN(data5)){
const err11 = {instancePath:instancePath+"/defaults/duration",schemaPath:"#/definitions/duration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema13,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
if(data3.guidance_scale !== undefined){
let data6 = data3.guidance_scale;
if((typeof data6 == "number") && (isFinite(data6))){
if(data6 > 1 || isNaN(data6)){
const err12 = {instancePath:instancePath+"/defaults/guidance_scale",schemaPath:"#/definitions/guidanceScale/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema14,data:data6};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data6 < 0 || isNaN(data6)){
const err13 = {instancePath:instancePath+"/defaults/guidance_scale",schemaPath:"#/definitions/guidanceScale/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema14,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/defaults/guidance_scale",schemaPath:"#/definitions/guidanceScale/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema14.type,parentSchema:schema14,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data3.negative_prompt !== undefined){
let data7 = data3.negative_prompt;
if(typeof data7 !== "string"){
const err15 = {instancePath:instancePath+"/defaults/negative_prompt",schemaPath:"#/definitions/negativePrompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data3.aspect_ratio !== undefined){
let data8 = data3.aspect_ratio;
if(!(((data8 === "16:9") || (data8 === "9:16")) || (data8 === "1:1"))){
const err16 = {instancePath:instancePath+"/defaults/aspect_ratio",schemaPath:"#/definitions/aspectRatio/enum",keyword:"enum",params:{allowedValues: schema16.enum},message:"must be equal to one of the allowed values",schema:schema16.enum,parentSchema:schema16,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data3.takes !== undefined){
let data9 = data3.takes;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
const err17 = {instancePath:instancePath+"/defaults/takes",schemaPath:"#/definitions/takes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema17.type,parentSchema:schema17,data:data9};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 > 8 || isNaN(data9)){
const err18 = {instancePath:instancePath+"/defaults/takes",schemaPath:"#/definitions/takes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 8},message:"must be <= 8",schema:8,parentSchema:schema17,data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data9 < 1 || isNaN(data9)){
const err19 = {instancePath:instancePath+"/defaults/takes",schemaPath:"#/definitions/takes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema17,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
}
else {
const err20 = {instancePath:instancePath+"/defaults",schemaPath:"#/properties/defaults/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.defaults.type,parentSchema:schema11.properties.defaults,data:data3};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.style !== undefined){
let data10 = data.style;
if(typeof data10 !== "string"){
const err21 = {instancePath:instancePath+"/style",schemaPath:"#/properties/style/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.style.type,parentSchema:schema11.properties.style,data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.output !== undefined){
let data11 = data.output;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
for(const key2 in data11){
if(!(((((((key2 === "file") || (key2 === "width")) || (key2 === "height")) || (key2 === "fps")) || (key2 === "fit")) || (key2 === "transition")) || (key2 === "audio"))){
const err22 = {instancePath:instancePath+"/output",schemaPath:"#/properties/output/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.output,data:data11};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data11.file !== undefined){
let data12 = data11.file;
if(typeof data12 === "string"){
if(!pattern0.test(data12)){
const err23 = {instancePath:instancePath+"/output/file",schemaPath:"#/properties/output/properties/file/pattern",keyword:"pattern",params:{pattern: "^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+\\.(mp4|mov|mkv|webm)$"},message:"must match pattern \""+"^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+\\.(mp4|mov|mkv|webm)$"+"\"",schema:"^[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]+\\.(mp4|mov|mkv|webm)$",parentSchema:schema11.properties.output.properties.file,data:data12};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/output/file",schemaPath:"#/properties/output/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.output.properties.file.type,parentSchema:schema11.properties.output.properties.file,data:data12};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data11.width !== undefined){
let data13 = data11.width;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
const err25 = {instancePath:instancePath+"/output/width",schemaPath:"#/properties/output/properties/width/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.output.properties.width.type,parentSchema:schema11.properties.output.properties.width,data:data13};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if((typeof data13 == "number") && (isFinite(data13))){
if(data13 > 7680 || isNaN(data13)){
const err26 = {instancePath:instancePath+"/output/width",schemaPath:"#/properties/output/properties/width/maximum",keyword:"maximum",params:{comparison: "<=", limit: 7680},message:"must be <= 7680",schema:7680,parentSchema:schema11.properties.output.properties.width,data:data13};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data13 < 16 || isNaN(data13)){
const err27 = {instancePath:instancePath+"/output/width",schemaPath:"#/properties/output/properties/width/minimum",keyword:"minimum",params:{comparison: ">=", limit: 16},message:"must be >= 16",schema:16,parentSchema:schema11.properties.output.properties.width,data:data13};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
let res0;
if((2 === 0 || (res0 = data13/2, res0 !== parseInt(res0)))){
const err28 = {instancePath:instancePath+"/output/width",schemaPath:"#/properties/output/properties/width/multipleOf",keyword:"multipleOf",params:{multipleOf: 2},message:"must be multiple of 2",schema:2,parentSchema:schema11.properties.output.properties.width,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
if(data11.height !== undefined){
let data14 = data11.height;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
const err29 = {instancePath:instancePath+"/output/height",schemaPath:"#/properties/output/properties/height/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.output.properties.height.type,parentSchema:schema11.properties.output.properties.height,data:data14};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if((typeof data14 == "number") && (isFinite(data14))){
if(data14 > 4320 || isNaN(data14)){
const err30 = {instancePath:instancePath+"/output/height",schemaPath:"#/properties/output/properties/height/maximum",keyword:"maximum",params:{comparison: "<=", limit: 4320},message:"must be <= 4320",schema:4320,parentSchema:schema11.properties.output.properties.height,data:data14};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(data14 < 16 || isNaN(data14)){
const err31 = {instancePath:instancePath+"/output/height",schemaPath:"#/properties/output/properties/height/minimum",keyword:"minimum",params:{comparison: ">=", limit: 16},message:"must be >= 16",schema:16,parentSchema:schema11.properties.output.properties.height,data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
let res1;
if((2 === 0 || (res1 = data14/2, res1 !== parseInt(res1)))){
const err32 = {instancePath:instancePath+"/output/height",schemaPath:"#/properties/output/properties/height/multipleOf",keyword:"multipleOf",params:{multipleOf: 2},message:"must be multiple of 2",schema:2,parentSchema:schema11.properties.output.properties.height,data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
if(data11.fps !== undefined){
let data15 = data11.fps;
if((typeof data15 == "number") && (isFinite(data15))){
if(data15 > 120 || isNaN(data15)){
const err33 = {instancePath:instancePath+"/output/fps",schemaPath:"#/properties/output/properties/fps/maximum",keyword:"maximum",params:{comparison: "<=", limit: 120},message:"must be <= 120",schema:120,parentSchema:schema11.properties.output.properties.fps,data:data15};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
if(data15 <= 0 || isNaN(data15)){
const err34 = {instancePath:instancePath+"/output/fps",schemaPath:"#/properties/output/properties/fps/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.output.properties.fps,data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
else {
const err35 = {instancePath:instancePath+"/output/fps",schemaPath:"#/properties/output/properties/fps/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.output.properties.fps.type,parentSchema:schema11.properties.output.properties.fps,data:data15};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data11.fit !== undefined){
let data16 = data11.fit;
if(!((data16 === "contain") || (data16 === "cover"))){
const err36 = {instancePath:instancePath+"/output/fit",schemaPath:"#/properties/output/properties/fit/enum",keyword:"enum",params:{allowedValues: schema11.properties.output.properties.fit.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.output.properties.fit.enum,parentSchema:schema11.properties.output.properties.fit,data:data16};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data11.transition !== undefined){
let data17 = data11.transition;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(data17.type === undefined){
const err37 = {instancePath:instancePath+"/output/transition",schemaPath:"#/definitions/transition/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema18.required,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
for(const key3 in data17){
if(!((key3 === "type") || (key3 === "duration"))){
const err38 = {instancePath:instancePath+"/output/transition",schemaPath:"#/definitions/transition/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data17.type !== undefined){
let data18 = data17.type;
if(!(((data18 === "cut") || (data18 === "crossfade")) || (data18 === "fade-black"))){
const err39 = {instancePath:instancePath+"/output/transition/type",schemaPath:"#/definitions/transition/properties/type/enum",keyword:"enum",params:{allowedValues: schema18.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema18.properties.type.enum,parentSchema:schema18.properties.type,data:data18};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data17.duration !== undefined){
let data19 = data17.duration;
if((typeof data19 == "number") && (isFinite(data19))){
if(data19 > 5 || isNaN(data19)){
const err40 = {instancePath:instancePath+"/output/transition/duration",schemaPath:"#/definitions/transition/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5},message:"must be <= 5",schema:5,parentSchema:schema18.properties.duration,data:data19};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if(data19 < 0 || isNaN(data19)){
const err41 = {instancePath:instancePath+"/output/transition/duration",schemaPath:"#/definitions/transition/properties/duration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.properties.duration,data:data19};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
else {
const err42 = {instancePath:instancePath+"/output/transition/duration",schemaPath:"#/definitions/transition/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema18.properties.duration.type,parentSchema:schema18.properties.duration,data:data19};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
}
else {
const err43 = {instancePath:instancePath+"/output/transition",schemaPath:"#/definitions/transition/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema18.type,parentSchema:schema18,data:data17};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data11.audio !== undefined){
let data20 = data11.audio;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
if(data20.file === undefined){
const err44 = {instancePath:instancePath+"/output/audio",schemaPath:"#/properties/output/properties/audio/required",keyword:"required",params:{missingProperty: "file"},message:"must have required property '"+"file"+"'",schema:schema11.properties.output.properties.audio.required,parentSchema:schema11.properties.output.properties.audio,data:data20};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
for(const key4 in data20){
if(!(((key4 === "file") || (key4 === "fade_out")) || (key4 === "loudness"))){
const err45 = {instancePath:instancePath+"/output/audio",schemaPath:"#/properties/output/properties/audio/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.output.properties.audio,data:data20};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data20.file !== undefined){
let data21 = data20.file;
if(typeof data21 === "string"){
if(func2(data21) < 1){
const err46 = {instancePath:instancePath+"/output/audio/file",schemaPath:"#/properties/output/properties/audio/properties/file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.output.properties.audio.properties.file,data:data21};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
else {
const err47 = {instancePath:instancePath+"/output/audio/file",schemaPath:"#/properties/output/properties/audio/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.output.properties.audio.properties.file.type,parentSchema:schema11.properties.output.properties.audio.properties.file,data:data21};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data20.fade_out !== undefined){
let data22 = data20.fade_out;
if((typeof data22 == "number") && (isFinite(data22))){
if(data22 > 60 || isNaN(data22)){
const err48 = {instancePath:instancePath+"/output/audio/fade_out",schemaPath:"#/properties/output/properties/audio/properties/fade_out/maximum",keyword:"maximum",params:{comparison: "<=", limit: 60},message:"must be <= 60",schema:60,parentSchema:schema11.properties.output.properties.audio.properties.fade_out,data:data22};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
if(data22 < 0 || isNaN(data22)){
const err49 = {instancePath:instancePath+"/output/audio/fade_out",schemaPath:"#/properties/output/properties/audio/properties/fade_out/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.output.properties.audio.properties.fade_out,data:data22};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
else {
const err50 = {instancePath:instancePath+"/output/audio/fade_out",schemaPath:"#/properties/output/properties/audio/properties/fade_out/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.output.properties.audio.properties.fade_out.type,parentSchema:schema11.properties.output.properties.audio.properties.fade_out,data:data22};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data20.loudness !== undefined){
let data23 = data20.loudness;
if((typeof data23 == "number") && (isFinite(data23))){
if(data23 > -5 || isNaN(data23)){
const err51 = {instancePath:instancePath+"/output/audio/loudness",schemaPath:"#/properties/output/properties/audio/properties/loudness/maximum",keyword:"maximum",params:{comparison: "<=", limit: -5},message:"must be <= -5",schema:-5,parentSchema:schema11.properties.output.properties.audio.properties.loudness,data:data23};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data23 < -70 || isNaN(data23)){
const err52 = {instancePath:instancePath+"/output/audio/loudness",schemaPath:"#/properties/output/properties/audio/properties/loudness/minimum",keyword:"minimum",params:{comparison: ">=", limit: -70},message:"must be >= -70",schema:-70,parentSchema:schema11.properties.output.properties.audio.properties.loudness,data:data23};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/output/audio/loudness",schemaPath:"#/properties/output/properties/audio/properties/loudness/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.output.properties.audio.properties.loudness.type,parentSchema:schema11.properties.output.properties.audio.properties.loudness,data:data23};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
else {
const err54 = {instancePath:instancePath+"/output/audio",schemaPath:"#/properties/output/properties/audio/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.output.properties.audio.type,parentSchema:schema11.properties.output.properties.audio,data:data20};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
}
else {
const err55 = {instancePath:instancePath+"/output",schemaPath:"#/properties/output/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.output.type,parentSchema:schema11.properties.output,data:data11};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data.shots !== undefined){
let data24 = data.shots;
if(Array.isArray(data24)){
if(data24.length < 1){
const err56 = {instancePath:instancePath+"/shots",schemaPath:"#/properties/shots/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.shots,data:data24};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
const len0 = data24.length;
for(let i0=0; i0<len0; i0++){
let data25 = data24[i0];
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
if(data25.id === undefined){
const err57 = {instancePath:instancePath+"/shots/" + i0,schemaPath:"#/properties/shots/items/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'",schema:schema11.properties.shots.items.required,parentSchema:schema11.properties.shots.items,data:data25};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(data25.prompt === undefined){
const err58 = {instancePath:instancePath+"/shots/" + i0,schemaPath:"#/properties/shots/items/required",keyword:"required",params:{missingProperty: "prompt"},message:"must have required property '"+"prompt"+"'",schema:schema11.properties.shots.items.required,parentSchema:schema11.properties.shots.items,data:data25};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
for(const key5 in data25){
if(!(func5.call(schema11.properties.shots.items.properties, key5))){
const err59 = {instancePath:instancePath+"/shots/" + i0,schemaPath:"#/properties/shots/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.shots.items,data:data25};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
if(data25.id !== undefined){
let data26 = data25.id;
if(typeof data26 === "string"){
if(!pattern1.test(data26)){
const err60 = {instancePath:instancePath+"/shots/" + i0+"/id",schemaPath:"#/properties/shots/items/properties/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",parentSchema:schema11.properties.shots.items.properties.id,data:data26};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
else {
const err61 = {instancePath:instancePath+"/shots/" + i0+"/id",schemaPath:"#/properties/shots/items/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.shots.items.properties.id.type,parentSchema:schema11.properties.shots.items.properties.id,data:data26};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data25.prompt !== undefined){
let data27 = data25.prompt;
if(typeof data27 === "string"){
if(func2(data27) < 1){
const err62 = {instancePath:instancePath+"/shots/" + i0+"/prompt",schemaPath:"#/properties/shots/items/properties/prompt/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.shots.items.properties.prompt,data:data27};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
else {
const err63 = {instancePath:instancePath+"/shots/" + i0+"/prompt",schemaPath:"#/properties/shots/items/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.shots.items.properties.prompt.type,parentSchema:schema11.properties.shots.items.properties.prompt,data:data27};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
if(data25.notes !== undefined){
let data28 = data25.notes;
if(typeof data28 !== "string"){
const err64 = {instancePath:instancePath+"/shots/" + i0+"/notes",schemaPath:"#/properties/shots/items/properties/notes/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.shots.items.properties.notes.type,parentSchema:schema11.properties.shots.items.properties.notes,data:data28};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
if(data25.model !== undefined){
let data29 = data25.model;
if(typeof data29 === "string"){
if(func2(data29) < 1){
const err65 = {instancePath:instancePath+"/shots/" + i0+"/model",schemaPath:"#/definitions/model/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema12,data:data29};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else {
const err66 = {instancePath:instancePath+"/shots/" + i0+"/model",schemaPath:"#/definitions/model/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data29};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
if(data25.duration !== undefined){
let data30 = data25.duration;
if(!(((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30))) && (isFinite(data30)))){
const err67 = {instancePath:instancePath+"/shots/" + i0+"/duration",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema13.type,parentSchema:schema13,data:data30};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if((typeof data30 == "number") && (isFinite(data30))){
if(data30 < 1 || isNaN(data30)){
const err68 = {instancePath:instancePath+"/shots/" + i0+"/duration",schemaPath:"#/definitions/duration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema13,data:data30};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
}
if(data25.guidance_scale !== undefined){
let data31 = data25.guidance_scale;
if((typeof data31 == "number") && (isFinite(data31))){
if(data31 > 1 || isNaN(data31)){
const err69 = {instancePath:instancePath+"/shots/" + i0+"/guidance_scale",schemaPath:"#/definitions/guidanceScale/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema14,data:data31};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
if(data31 < 0 || isNaN(data31)){
const err70 = {instancePath:instancePath+"/shots/" + i0+"/guidance_scale",schemaPath:"#/definitions/guidanceScale/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema14,data:data31};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
else {
const err71 = {instancePath:instancePath+"/shots/" + i0+"/guidance_scale",schemaPath:"#/definitions/guidanceScale/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema14.type,parentSchema:schema14,data:data31};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data25.negative_prompt !== undefined){
let data32 = data25.negative_prompt;
if(typeof data32 !== "string"){
const err72 = {instancePath:instancePath+"/shots/" + i0+"/negative_prompt",schemaPath:"#/definitions/negativePrompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema15.type,parentSchema:schema15,data:data32};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data25.aspect_ratio !== undefined){
let data33 = data25.aspect_ratio;
if(!(((data33 === "16:9") || (data33 === "9:16")) || (data33 === "1:1"))){
const err73 = {instancePath:instancePath+"/shots/" + i0+"/aspect_ratio",schemaPath:"#/definitions/aspectRatio/enum",keyword:"enum",params:{allowedValues: schema16.enum},message:"must be equal to one of the allowed values",schema:schema16.enum,parentSchema:schema16,data:data33};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data25.takes !== undefined){
let data34 = data25.takes;
if(!(((typeof data34 == "number") && (!(data34 % 1) && !isNaN(data34))) && (isFinite(data34)))){
const err74 = {instancePath:instancePath+"/shots/" + i0+"/takes",schemaPath:"#/definitions/takes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema17.type,parentSchema:schema17,data:data34};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
if((typeof data34 == "number") && (isFinite(data34))){
if(data34 > 8 || isNaN(data34)){
const err75 = {instancePath:instancePath+"/shots/" + i0+"/takes",schemaPath:"#/definitions/takes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 8},message:"must be <= 8",schema:8,parentSchema:schema17,data:data34};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
if(data34 < 1 || isNaN(data34)){
const err76 = {instancePath:instancePath+"/shots/" + i0+"/takes",schemaPath:"#/definitions/takes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema17,data:data34};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
if(data25.pick !== undefined){
let data35 = data25.pick;
if(!(((typeof data35 == "number") && (!(data35 % 1) && !isNaN(data35))) && (isFinite(data35)))){
const err77 = {instancePath:instancePath+"/shots/" + i0+"/pick",schemaPath:"#/properties/shots/items/properties/pick/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.shots.items.properties.pick.type,parentSchema:schema11.properties.shots.items.properties.pick,data:data35};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if((typeof data35 == "number") && (isFinite(data35))){
if(data35 > 8 || isNaN(data35)){
const err78 = {instancePath:instancePath+"/shots/" + i0+"/pick",schemaPath:"#/properties/shots/items/properties/pick/maximum",keyword:"maximum",params:{comparison: "<=", limit: 8},message:"must be <= 8",schema:8,parentSchema:schema11.properties.shots.items.properties.pick,data:data35};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
if(data35 < 1 || isNaN(data35)){
const err79 = {instancePath:instancePath+"/shots/" + i0+"/pick",schemaPath:"#/properties/shots/items/properties/pick/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.shots.items.properties.pick,data:data35};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
}
if(data25.image !== undefined){
let data36 = data25.image;
const _errs88 = errors;
let valid21 = false;
const _errs89 = errors;
if(typeof data36 === "string"){
if(func2(data36) < 1){
const err80 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.shots.items.properties.image.anyOf[0],data:data36};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
else {
const err81 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.shots.items.properties.image.anyOf[0].type,parentSchema:schema11.properties.shots.items.properties.image.anyOf[0],data:data36};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
var _valid0 = _errs89 === errors;
valid21 = valid21 || _valid0;
if(!valid21){
const _errs91 = errors;
if(data36 && typeof data36 == "object" && !Array.isArray(data36)){
if(data36.after === undefined){
const err82 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf/1/required",keyword:"required",params:{missingProperty: "after"},message:"must have required property '"+"after"+"'",schema:schema11.properties.shots.items.properties.image.anyOf[1].required,parentSchema:schema11.properties.shots.items.properties.image.anyOf[1],data:data36};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
for(const key6 in data36){
if(!(key6 === "after")){
const err83 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.shots.items.properties.image.anyOf[1],data:data36};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data36.after !== undefined){
let data37 = data36.after;
if(typeof data37 === "string"){
if(func2(data37) < 1){
const err84 = {instancePath:instancePath+"/shots/" + i0+"/image/after",schemaPath:"#/properties/shots/items/properties/image/anyOf/1/properties/after/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.shots.items.properties.image.anyOf[1].properties.after,data:data37};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
else {
const err85 = {instancePath:instancePath+"/shots/" + i0+"/image/after",schemaPath:"#/properties/shots/items/properties/image/anyOf/1/properties/after/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.shots.items.properties.image.anyOf[1].properties.after.type,parentSchema:schema11.properties.shots.items.properties.image.anyOf[1].properties.after,data:data37};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
else {
const err86 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.shots.items.properties.image.anyOf[1].type,parentSchema:schema11.properties.shots.items.properties.image.anyOf[1],data:data36};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
var _valid0 = _errs91 === errors;
valid21 = valid21 || _valid0;
}
if(!valid21){
const err87 = {instancePath:instancePath+"/shots/" + i0+"/image",schemaPath:"#/properties/shots/items/properties/image/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema11.properties.shots.items.properties.image.anyOf,parentSchema:schema11.properties.shots.items.properties.image,data:data36};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
else {
errors = _errs88;
if(vErrors !== null){
if(_errs88){
vErrors.length = _errs88;
}
else {
vErrors = null;
}
}
}
}
if(data25.end_image !== undefined){
let data38 = data25.end_image;
if(typeof data38 === "string"){
if(func2(data38) < 1){
const err88 = {instancePath:instancePath+"/shots/" + i0+"/end_image",schemaPath:"#/definitions/imagePath/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema25,data:data38};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
else {
const err89 = {instancePath:instancePath+"/shots/" + i0+"/end_image",schemaPath:"#/definitions/imagePath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema25.type,parentSchema:schema25,data:data38};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data25.trim !== undefined){
let data39 = data25.trim;
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
for(const key7 in data39){
if(!((key7 === "start") || (key7 === "end"))){
const err90 = {instancePath:instancePath+"/shots/" + i0+"/trim",schemaPath:"#/properties/shots/items/properties/trim/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.shots.items.properties.trim,data:data39};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
if(data39.start !== undefined){
let data40 = data39.start;
if((typeof data40 == "number") && (isFinite(data40))){
if(data40 < 0 || isNaN(data40)){
const err91 = {instancePath:instancePath+"/shots/" + i0+"/trim/start",schemaPath:"#/properties/shots/items/properties/trim/properties/start/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.shots.items.properties.trim.properties.start,data:data40};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
else {
const err92 = {instancePath:instancePath+"/shots/" + i0+"/trim/start",schemaPath:"#/properties/shots/items/properties/trim/properties/start/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.shots.items.properties.trim.properties.start.type,parentSchema:schema11.properties.shots.items.properties.trim.properties.start,data:data40};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data39.end !== undefined){
let data41 = data39.end;
if((typeof data41 == "number") && (isFinite(data41))){
if(data41 <= 0 || isNaN(data41)){
const err93 = {instancePath:instancePath+"/shots/" + i0+"/trim/end",schemaPath:"#/properties/shots/items/properties/trim/properties/end/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.shots.items.properties.trim.properties.end,data:data41};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
else {
const err94 = {instancePath:instancePath+"/shots/" + i0+"/trim/end",schemaPath:"#/properties/shots/items/properties/trim/properties/end/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.shots.items.properties.trim.properties.end.type,parentSchema:schema11.properties.shots.items.properties.trim.properties.end,data:data41};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
}
else {
const err95 = {instancePath:instancePath+"/shots/" + i0+"/trim",schemaPath:"#/properties/shots/items/properties/trim/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.shots.items.properties.trim.type,parentSchema:schema11.properties.shots.items.properties.trim,data:data39};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data25.transition !== undefined){
let data42 = data25.transition;
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
if(data42.type === undefined){
const err96 = {instancePath:instancePath+"/shots/" + i0+"/transition",schemaPath:"#/definitions/transition/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema18.required,parentSchema:schema18,data:data42};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
for(const key8 in data42){
if(!((key8 === "type") || (key8 === "duration"))){
const err97 = {instancePath:instancePath+"/shots/" + i0+"/transition",schemaPath:"#/definitions/transition/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema18,data:data42};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data42.type !== undefined){
let data43 = data42.type;
if(!(((data43 === "cut") || (data43 === "crossfade")) || (data43 === "fade-black"))){
const err98 = {instancePath:instancePath+"/shots/" + i0+"/transition/type",schemaPath:"#/definitions/transition/properties/type/enum",keyword:"enum",params:{allowedValues: schema18.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema18.properties.type.enum,parentSchema:schema18.properties.type,data:data43};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data42.duration !== undefined){
let data44 = data42.duration;
if((typeof data44 == "number") && (isFinite(data44))){
if(data44 > 5 || isNaN(data44)){
const err99 = {instancePath:instancePath+"/shots/" + i0+"/transition/duration",schemaPath:"#/definitions/transition/properties/duration/maximum",keyword:"maximum",params:{comparison: "<=", limit: 5},message:"must be <= 5",schema:5,parentSchema:schema18.properties.duration,data:data44};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
if(data44 < 0 || isNaN(data44)){
const err100 = {instancePath:instancePath+"/shots/" + i0+"/transition/duration",schemaPath:"#/definitions/transition/properties/duration/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.properties.duration,data:data44};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
else {
const err101 = {instancePath:instancePath+"/shots/" + i0+"/transition/duration",schemaPath:"#/definitions/transition/properties/duration/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema18.properties.duration.type,parentSchema:schema18.properties.duration,data:data44};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
}
else {
const err102 = {instancePath:instancePath+"/shots/" + i0+"/transition",schemaPath:"#/definitions/transition/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema18.type,parentSchema:schema18,data:data42};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
}
else {
const err103 = {instancePath:instancePath+"/shots/" + i0,schemaPath:"#/properties/shots/items/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.shots.items.type,parentSchema:schema11.properties.shots.items,data:data25};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
}
else {
const err104 = {instancePath:instancePath+"/shots",schemaPath:"#/properties/shots/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.shots.type,parentSchema:schema11.properties.shots,data:data24};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
}
else {
const err105 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

