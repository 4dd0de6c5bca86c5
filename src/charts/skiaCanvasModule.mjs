// What `import('canvas')` gives in a chart worker drawing with @napi-rs/canvas (see skiaAsCanvas.hooks.mjs).
import skia from '@napi-rs/canvas';

export const { Canvas, createCanvas, Image, ImageData, loadImage } = skia;
export default skia;
