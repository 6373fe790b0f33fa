// Vite turns an import with ?url into the address of the file, copied into the built web app.
declare module '*?url' {
  const url: string;
  export default url;
}
