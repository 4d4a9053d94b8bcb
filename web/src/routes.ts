// The page's own paths (client-side routing). adapters/http/page_assets.h lists the same first
// segments, so that the server answers each with index.html.
import { useEffect, useState } from 'preact/hooks';
import type { Category } from './api/types';

export const CATEGORIES: readonly Category[] = ['software', 'cloud', 'visual-studio', 'technical', 'go-to-market'];

export type Screen = 'benefits' | 'packages' | 'users' | 'history' | 'operator';
export const SCREENS: readonly Screen[] = ['benefits', 'packages', 'users', 'history', 'operator'];

export interface Route {
  screen: Screen;
  category: Category;
}

export function parseRoute(pathname: string): Route {
  const [first, second] = pathname.split('/').filter(Boolean);
  const screen = SCREENS.find((s) => s === first) ?? 'benefits';
  const category = CATEGORIES.find((c) => c === second) ?? 'software';
  return { screen, category };
}

export function routePath(route: Partial<Route> & { screen: Screen }): string {
  return route.screen === 'benefits' ? `/benefits/${route.category ?? 'software'}` : `/${route.screen}`;
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}
