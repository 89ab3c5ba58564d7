// typescript-eslint's recommended rules on the TypeScript sources; `npm run lint` and test/lint.test.ts run it.
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["dist/**", "node_modules/**", "env/target/**", "**/*.mjs", "**/*.js"] }, ...tseslint.configs.recommended, {
  rules: {
    // Unused names prefixed with _ mark a parameter an interface requires.
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
  },
});
