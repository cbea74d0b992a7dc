// An 88-key keyboard (A0–C8) whose keys light while their notes sound; lit keys carry
// the class "lit" (the browser test counts them).
const LOWEST = 21, HIGHEST = 108;
const BLACK = new Set([1, 3, 6, 8, 10]);

export class Keyboard {
  constructor(container) {
    this.container = container;
    this.keys = new Map();
    const whites = [];
    for (let p = LOWEST; p <= HIGHEST; ++p) if (!BLACK.has(p % 12)) whites.push(p);
    const width = 100 / whites.length;
    let white = 0;
    for (let p = LOWEST; p <= HIGHEST; ++p) {
      const key = document.createElement('div');
      const black = BLACK.has(p % 12);
      key.className = 'key ' + (black ? 'black' : 'white');
      key.dataset.pitch = p;
      if (black) {
        key.style.left = `calc(${white * width - width * 0.3}%)`;
        key.style.width = `${width * 0.6}%`;
      } else {
        key.style.left = `${white * width}%`;
        key.style.width = `${width}%`;
        ++white;
      }
      container.appendChild(key);
      this.keys.set(p, key);
    }
  }
  // `sounding`: a Set of pitches.
  show(sounding) {
    for (const [pitch, key] of this.keys) key.classList.toggle('lit', sounding.has(pitch));
  }
}
