export {HomeScreen, type HomeScreenProps} from './home-screen.js';
export {formatHomePlain} from './home-text.js';
export type {HomeSummary} from '../../../app/home-summary.js';
