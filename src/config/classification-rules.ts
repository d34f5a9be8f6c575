/** Default classification rules (S-03). Placeholder until the classification work lands. */
import type { ClassificationSettings } from './schema';

export const defaultClassificationRules: ClassificationSettings['rules'] = [];
