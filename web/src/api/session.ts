// The signed-in token: kept in sessionStorage only (gone when the tab closes), never in a URL
// or localStorage.
const TOKEN_KEY = 'benefitd.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearSession(): void {
  sessionStorage.clear();
}
