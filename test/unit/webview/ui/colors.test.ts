import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COLOR_CLASSES,
  DEFAULT_THEME_COLORS,
  colorClass,
  contrast,
  luminance,
  parseColor,
  sameClass,
  themeKindOf,
  tokenPalette,
  type ThemeKind,
} from '../../../../webview/src/ui/colors';

test('a token id always gets the same colour class', () => {
  for (const id of [0, 1, 13, 9906, 200264, 2 ** 31 - 1]) {
    assert.equal(colorClass(id), colorClass(id));
    assert.ok(colorClass(id) >= 0 && colorClass(id) < COLOR_CLASSES);
  }
});

test('consecutive ids spread over every colour class, so neighbours rarely share a colour', () => {
  const counts = new Array(COLOR_CLASSES).fill(0);
  let sameNeighbours = 0;
  for (let id = 0; id < 14_000; id++) {
    counts[colorClass(id)]++;
    if (sameClass(id - 1, id)) sameNeighbours++;
  }
  assert.ok(Math.min(...counts) > 800, `classes unevenly used: ${counts}`);
  assert.ok(sameNeighbours < 14_000 / COLOR_CLASSES, `${sameNeighbours} neighbouring ids share a class`);
  assert.equal(sameClass(undefined, 5), false);
  assert.equal(sameClass(42, 42), true);
});

const themes: Array<[ThemeKind, number]> = [
  ['light', 4.5],
  ['dark', 4.5],
  ['high-contrast', 7],
  ['high-contrast-light', 7],
];

for (const [kind, minimum] of themes) {
  test(`${kind} theme: token text stays readable (contrast ≥ ${minimum}) on every token colour`, () => {
    const { background, foreground } = DEFAULT_THEME_COLORS[kind];
    const palette = tokenPalette(background, foreground, kind);
    assert.equal(palette.length, COLOR_CLASSES);
    for (const fill of palette) assert.ok(contrast(fill, foreground) >= minimum, `${fill} vs ${foreground}: ${contrast(fill, foreground).toFixed(2)}`);
  });
}

for (const kind of ['light', 'dark'] as const) {
  test(`${kind} theme: every colour is visible against the background, and the two levels of a hue differ`, () => {
    const { background, foreground } = DEFAULT_THEME_COLORS[kind];
    const palette = tokenPalette(background, foreground, kind);
    const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    for (const fill of palette) assert.ok(distance(fill, background) > 20, `${fill} is too close to the background ${background}`);
    for (let hue = 0; hue < COLOR_CLASSES; hue += 2) {
      const [strong, soft] = [palette[hue], palette[hue + 1]];
      assert.ok(Math.abs(luminance(strong) - luminance(soft)) > 0.015 || distance(strong, soft) > 25, `levels of hue ${hue / 2} look alike: ${strong} / ${soft}`);
    }
    const unique = new Set(palette.map((fill) => fill.join(',')));
    assert.equal(unique.size, COLOR_CLASSES);
  });
}

test('the theme kind comes from the class VS Code puts on the body', () => {
  assert.equal(themeKindOf(['vscode-light']), 'light');
  assert.equal(themeKindOf(['vscode-dark']), 'dark');
  assert.equal(themeKindOf(['vscode-high-contrast']), 'high-contrast');
  assert.equal(themeKindOf(['vscode-high-contrast', 'vscode-high-contrast-light']), 'high-contrast-light');
  assert.equal(themeKindOf([]), 'dark');
});

test('theme colours are read in the formats VS Code writes', () => {
  assert.deepEqual(parseColor('#1f1f1f'), [31, 31, 31]);
  assert.deepEqual(parseColor(' #fff '), [255, 255, 255]);
  assert.deepEqual(parseColor('#ffffff80'), [255, 255, 255]);
  assert.deepEqual(parseColor('rgba(0, 114, 178, 0.5)'), [0, 114, 178]);
  assert.equal(parseColor('var(--x)'), undefined);
  assert.equal(parseColor(''), undefined);
});
