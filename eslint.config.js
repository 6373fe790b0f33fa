import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const root = fileURLToPath(new URL('.', import.meta.url));
const tsconfig = resolve(root, 'tsconfig.json');
const compilerOptions = ts.parseJsonConfigFileContent(
  ts.readConfigFile(tsconfig, ts.sys.readFile).config,
  ts.sys,
  root,
).options;

/** The project files `file` imports (type-only or not), resolved as tsc resolves them; cached by mtime. */
const importCache = new Map();
function importsOf(file) {
  const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  const hit = importCache.get(file);
  if (hit && hit.mtime === mtime) return hit.deps;
  const deps = [];
  const text = mtime === undefined ? '' : (ts.sys.readFile(file) ?? '');
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    const dep = resolveImport(fileName, file);
    if (dep) deps.push(dep);
  }
  importCache.set(file, { mtime, deps });
  return deps;
}
function resolveImport(specifier, from) {
  const r = ts.resolveModuleName(specifier, from, compilerOptions, ts.sys).resolvedModule;
  return r && !r.isExternalLibraryImport ? resolve(r.resolvedFileName) : null;
}
/** The shortest chain of imports from `start` to `goal` (both included), or null when there is none. */
function importChain(start, goal) {
  const parent = new Map([[start, null]]);
  for (const queue = [start]; queue.length > 0;) {
    const file = queue.shift();
    if (file === goal) {
      const chain = [];
      for (let f = file; f !== null; f = parent.get(f)) chain.unshift(f);
      return chain;
    }
    for (const dep of importsOf(file))
      if (!parent.has(dep)) {
        parent.set(dep, file);
        queue.push(dep);
      }
  }
  return null;
}
const typeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => (s.importKind ?? s.exportKind) === 'type'));

/**
 * import-x/no-cycle skips type-only imports (they vanish at run time), yet a circle through one still ties
 * the modules on it together: the routes <-> app circle of issue 14 was all `import type`. This rule takes
 * over there: a type-only import that leads back, through imports of any kind, to the importing file.
 */
const noTypeImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid a type-only import from closing an import cycle' },
    messages: { cycle: 'Dependency cycle through a type-only import: {{chain}}' },
    schema: [],
  },
  create(context) {
    const file = resolve(context.physicalFilename);
    const check = (node) => {
      if (!node.source || !typeOnly(node)) return;
      const dep = resolveImport(node.source.value, file);
      const chain = dep && importChain(dep, file);
      if (chain) {
        const names = [file, ...chain].map((f) => relative(root, f));
        context.report({ node, messageId: 'cycle', data: { chain: names.join(' -> ') } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', '.neo4j/**', 'test/out/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['web/**/*.tsx', 'web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // No import cycles: a module never depends, however indirectly, on one that depends on it. import-x
    // follows the imports that remain at run time; linkchart/no-type-import-cycle the type-only ones.
    files: ['{server,web,seed,bench,test}/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, linkchart: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // Imports name their files with the .ts extension; tsconfig.json's paths give @api/* and @domain/*.
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js'], tsconfig: { configFile: tsconfig } }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'linkchart/no-type-import-cycle': 'error',
    },
  },
);
