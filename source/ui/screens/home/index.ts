export {HomeScreen, type HomeScreenProps} from './home-screen.js';
export {loadHomeSummary, formatHomePlain, type HomeSummary} from './home-summary.js';
