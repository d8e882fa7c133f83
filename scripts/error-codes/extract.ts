/**
 * Reads every problem code the server raises from its source with the TypeScript compiler
 * (never by matching text).
 *
 * A raise site is `new AppError(status, code, title, detail)`, `new OAuthError(status, error,
 * description)`, or a field problem `{ field, code, message }`. A function with a raise site
 * that takes its code (or status, title, detail) from the function's own parameters is a
 * helper — notFound, forbidden, fhirError and the modules' own — and each call of it is a raise
 * site in turn. A code that is not a literal where it is finally raised is an error, except for
 * the explicit cases in DYNAMIC_CODES (sources.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DYNAMIC_CODES, type Kind, ROOTS, type Slot } from './sources';

type Value =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'param'; param: ts.ParameterDeclaration; code: (argument: string) => string | null }
  | { kind: 'dynamic'; node: ts.Node };
/** A raise site's possible values per slot (a conditional gives two). */
interface Site {
  kind: Kind;
  node: ts.Node;
  slots: Record<Slot, Value[]>;
}
type FunctionLike = ts.FunctionLikeDeclaration;

/** One code as raised in one module. */
export interface Raised {
  kind: Kind;
  module: string;
  code: string;
  statuses: Set<string>;
  titles: Set<string>;
  details: Set<string>;
}

export interface Extraction {
  raised: Raised[];
  /** Codes that could not be read statically, with where; empty when all is well. */
  errors: string[];
}

/** A program of src/server's non-test files alone: node_modules and lib stay unresolved. */
function serverProgram(server: string): ts.Program {
  const files = readdirSync(server, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(server, f))
    .sort();
  const options: ts.CompilerOptions = {
    noLib: true,
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2023,
  };
  const host = ts.createCompilerHost(options);
  const inside = (f: string) => path.resolve(f).startsWith(server + path.sep);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => inside(f) && fileExists(f);
  host.directoryExists = (d) => inside(d) || path.resolve(d) === server;
  host.getSourceFile = (f, ...rest) => (inside(f) ? getSourceFile(f, ...rest) : undefined);
  return ts.createProgram(files, options, host);
}

/** The expression inside parentheses, `as`, `satisfies` and `!`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

const text = (t: string): Value => ({ kind: 'text', text: t });
const textOf = (v: Value) =>
  v.kind === 'text' ? v.text : v.kind === 'number' ? `${v.value}` : null;

/** Two parts of a template: literal text joins; text around a parameter joins its code. */
function join(left: Value, right: Value, node: ts.Node): Value {
  if (left.kind === 'dynamic') return left;
  if (right.kind === 'dynamic') return right;
  const [l, r] = [textOf(left), textOf(right)];
  if (l !== null && r !== null) return text(l + r);
  if (left.kind === 'param' && r !== null) {
    const inner = left.code;
    return { ...left, code: (a) => (inner(a) === null ? null : `${inner(a)}${r}`) };
  }
  if (right.kind === 'param' && l !== null) {
    const inner = right.code;
    return { ...right, code: (a) => (inner(a) === null ? null : `${l}${inner(a)}`) };
  }
  return { kind: 'dynamic', node };
}

export function extractErrorCodes(server: string): Extraction {
  const program = serverProgram(server);
  const checker = program.getTypeChecker();
  const errors: string[] = [];
  const raised = new Map<string, Raised>();
  const relative = (node: ts.Node) => path.relative(server, node.getSourceFile().fileName);
  const notLiteral = (node: ts.Node) => {
    const { line } = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart());
    errors.push(`src/server/${relative(node)}:${line + 1}: \`${node.getText()}\` is not a literal`);
  };
  const explained = new Set<(typeof DYNAMIC_CODES)[number]>();
  const dynamicCode = (node: ts.Node) => {
    const found = DYNAMIC_CODES.find(
      (d) => d.file === relative(node) && d.expression === node.getText(),
    );
    if (found) explained.add(found);
    return found;
  };

  // Only plain identifiers are resolved: property accesses would make the checker type them.
  function declarationOf(node: ts.Node): ts.Declaration | undefined {
    if (!ts.isIdentifier(node)) return undefined;
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }
  function functionOf(declaration: ts.Declaration | undefined): FunctionLike | undefined {
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const init = declaration.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  function enclosingParameter(node: ts.Node, name: string): ts.ParameterDeclaration | undefined {
    for (let n = node.parent; n; n = n.parent) {
      if (ts.isFunctionLike(n)) {
        const found = n.parameters.find((p) => p.name.getText() === name);
        if (found) return found;
      }
    }
    return undefined;
  }

  const evaluating = new Set<ts.Node>();
  function evaluate(expression: ts.Expression): Value[] {
    const e = unwrap(expression);
    const explicit = dynamicCode(e);
    if (explicit?.documentAs) return [text(explicit.documentAs)];
    const param = explicit?.fromParameter && enclosingParameter(e, explicit.fromParameter.name);
    if (param && explicit?.fromParameter) {
      return [{ kind: 'param', param, code: explicit.fromParameter.code }];
    }
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [text(e.text)];
    if (ts.isNumericLiteral(e)) return [{ kind: 'number', value: Number(e.text) }];
    if (ts.isConditionalExpression(e)) return [...evaluate(e.whenTrue), ...evaluate(e.whenFalse)];
    if (ts.isTemplateExpression(e)) {
      let values = [text(e.head.text)];
      for (const span of e.templateSpans) {
        const parts = evaluate(span.expression);
        values = values.flatMap((l) =>
          parts.map((p) => join(join(l, p, e), text(span.literal.text), e)),
        );
      }
      return values;
    }
    const declaration =
      ts.isIdentifier(e) && ts.isShorthandPropertyAssignment(e.parent)
        ? checker.getShorthandAssignmentValueSymbol(e.parent)?.valueDeclaration
        : declarationOf(e);
    if (declaration && ts.isParameter(declaration)) {
      return [{ kind: 'param', param: declaration, code: (a) => a }];
    }
    if (
      declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const &&
      !functionOf(declaration) &&
      !evaluating.has(declaration)
    ) {
      evaluating.add(declaration);
      const values = evaluate(declaration.initializer);
      evaluating.delete(declaration);
      return values;
    }
    return [{ kind: 'dynamic', node: e }];
  }

  const nullable = (s: string | null, f: (a: string) => string | null) =>
    s === null ? null : f(s);
  /** A helper's parameter as given at a call, or its default; nothing when left out. */
  function substitute(value: Value, call: ts.CallExpression, fn: FunctionLike): Value[] {
    if (value.kind !== 'param' || !fn.parameters.includes(value.param)) return [value];
    const given = call.arguments[fn.parameters.indexOf(value.param)] ?? value.param.initializer;
    if (!given) return [];
    return evaluate(given).flatMap((v): Value[] => {
      if (v.kind === 'param') return [{ ...v, code: (a) => nullable(v.code(a), value.code) }];
      const literal = textOf(v);
      if (literal === null) return [v];
      const code = value.code(literal);
      return code === null ? [] : [v.kind === 'number' && code === literal ? v : text(code)];
    });
  }

  const roots = new Map<ts.Declaration, (typeof ROOTS)[number]>();
  for (const root of ROOTS) {
    const found = program
      .getSourceFile(path.join(server, root.file))
      ?.statements.find(
        (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === root.name,
      );
    if (!found) throw new Error(`${root.name} is no longer in src/server/${root.file}`);
    roots.set(found, root);
  }

  const templates = new Map<FunctionLike, Site[]>();
  /** The raise sites of a helper that depend on its parameters; none for any other function. */
  function templatesOf(fn: FunctionLike): Site[] {
    const known = templates.get(fn);
    if (known) return known;
    templates.set(fn, []); // a recursive helper adds nothing through itself
    const own: Site[] = [];
    const visit = (node: ts.Node): void => {
      for (const site of sitesAt(node)) {
        const values = Object.values(site.slots).flat();
        if (values.some((v) => v.kind === 'param' && fn.parameters.includes(v.param))) {
          own.push(site);
        }
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    templates.set(fn, own);
    return own;
  }

  /** The raise sites a node is: a root construction, a helper call, or a field problem. */
  function sitesAt(node: ts.Node): Site[] {
    if (ts.isNewExpression(node)) {
      const declaration = declarationOf(node.expression);
      const root = declaration && roots.get(declaration);
      if (!root) return [];
      const slots: Record<Slot, Value[]> = { status: [], code: [], title: [], detail: [] };
      root.slots.forEach((slot, i) => {
        const argument = node.arguments?.[i];
        slots[slot] = argument ? evaluate(argument) : [];
      });
      return [{ kind: root.kind, node, slots }];
    }
    if (ts.isCallExpression(node)) {
      const fn = functionOf(declarationOf(node.expression));
      if (!fn) return [];
      return templatesOf(fn).map((site) => {
        const slots = { ...site.slots };
        for (const slot of Object.keys(slots) as Slot[]) {
          slots[slot] = slots[slot].flatMap((v) => substitute(v, node, fn));
        }
        return { kind: site.kind, node, slots };
      });
    }
    if (ts.isObjectLiteralExpression(node) && isFieldProblem(node)) {
      const value = (name: string): Value[] => {
        const p = node.properties.find((q) => q.name?.getText() === name);
        if (p && ts.isPropertyAssignment(p)) return evaluate(p.initializer);
        return p && ts.isShorthandPropertyAssignment(p) ? evaluate(p.name) : [];
      };
      const slots = { status: [], code: value('code'), title: [], detail: value('message') };
      return [{ kind: 'field', node, slots }];
    }
    return [];
  }

  /** `{ field, code, message }`, except as an argument of a library (a TypeBox schema). */
  function isFieldProblem(node: ts.ObjectLiteralExpression): boolean {
    const names = node.properties.map((p) => p.name?.getText()).sort();
    if (names.join() !== 'code,field,message') return false;
    if (!ts.isCallExpression(node.parent)) return true;
    let callee: ts.Expression = node.parent.expression;
    while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
    const imported = ts.isIdentifier(callee) ? checker.getSymbolAtLocation(callee) : undefined;
    const specifier = imported?.declarations?.[0]?.parent;
    const from = specifier && ts.findAncestor(specifier, ts.isImportDeclaration);
    return !from || (from.moduleSpecifier as ts.StringLiteral).text.startsWith('.');
  }

  const literalTexts = (values: Value[]) =>
    values.flatMap((v) => (v.kind === 'text' ? [v.text.replace(/\s+/g, ' ').trim()] : []));
  const withDefaults = (values: Value[]) =>
    values.flatMap((v) =>
      v.kind === 'param' && v.param.initializer ? evaluate(v.param.initializer) : [v],
    );

  function collect(site: Site): void {
    const file = relative(site.node);
    const module = /^modules\/([^/]+)\//.exec(file)?.[1] ?? 'platform';
    const codes: { code: string; details: string[] }[] = [];
    for (const value of site.slots.code) {
      const catalogue = value.kind === 'dynamic' ? dynamicCode(value.node)?.catalogue : undefined;
      if (catalogue) codes.push(...catalogueOf(site.node.getSourceFile(), catalogue));
      else if (value.kind === 'text') {
        codes.push({ code: value.text, details: literalTexts(site.slots.detail) });
      } else if (value.kind === 'dynamic') notLiteral(value.node);
    }
    const statuses = withDefaults(site.slots.status).map((v) =>
      v.kind === 'number' ? `${v.value}` : 'varies',
    );
    for (const { code, details } of codes) {
      const key = JSON.stringify([site.kind, module, code]);
      const entry = raised.get(key) ?? {
        ...{ kind: site.kind, module, code },
        ...{ statuses: new Set<string>(), titles: new Set<string>(), details: new Set<string>() },
      };
      raised.set(key, entry);
      statuses.forEach((s) => entry.statuses.add(s));
      literalTexts(withDefaults(site.slots.title)).forEach((t) => entry.titles.add(t));
      details.forEach((t) => entry.details.add(t));
    }
  }

  /** The keys of a `const NAME = { 'code': 'text', … }` in the file, with their texts. */
  function catalogueOf(source: ts.SourceFile, name: string) {
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const found = statement.declarationList.declarations.find((d) => d.name.getText() === name);
      const init = found?.initializer && unwrap(found.initializer);
      if (!init || !ts.isObjectLiteralExpression(init)) continue;
      return init.properties.flatMap((p) =>
        ts.isPropertyAssignment(p) && ts.isStringLiteral(p.name)
          ? [{ code: p.name.text, details: literalTexts(evaluate(p.initializer)) }]
          : [],
      );
    }
    throw new Error(`${name} is no longer an object literal in ${source.fileName}`);
  }

  for (const source of program.getSourceFiles()) {
    const visit = (node: ts.Node): void => {
      for (const site of sitesAt(node)) {
        const catalogued = site.slots.code.some(
          (v) => v.kind === 'dynamic' && dynamicCode(v.node)?.catalogue,
        );
        // A site that depends on a helper's parameters is raised at the helper's calls.
        const values = Object.values(site.slots).flat();
        if (catalogued || !values.some((v) => v.kind === 'param')) collect(site);
        else site.slots.code.forEach((v) => v.kind === 'dynamic' && notLiteral(v.node));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  for (const unused of DYNAMIC_CODES.filter((d) => !explained.has(d))) {
    errors.push(
      `scripts/error-codes/sources.ts: nothing in src/server/${unused.file} raises \`${unused.expression}\` now; remove it from DYNAMIC_CODES`,
    );
  }
  return { raised: [...raised.values()], errors: [...new Set(errors)].sort() };
}
