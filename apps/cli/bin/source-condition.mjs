// A module resolve hook: workspace packages resolve to their TypeScript source through the
// `@storyreel/source` export condition, as in vitest (`pnpm storyreel`, the tests).
export function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@storyreel/source'] })
}
