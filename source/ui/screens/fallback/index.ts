export {FallbackPreferences, type FallbackPreferencesProps} from './fallback-preferences.js';
export {previewLine} from './preview.js';
