/**
 * What can be wrong with a credentials file and how each problem is said, for both Effect
 * lines' `CredentialsFile`: the messages of its four errors, the reason of a failed system call
 * from its code alone, and the position of invalid JSON, never a quote of the content (a
 * credentials file holds secrets; Node's and `JSON.parse`'s own messages quote the path or the text).
 *
 * @since 0.1.0
 */

/**
 * A credentials file is a few hundred bytes; anything larger than this is not one.
 *
 * @since 0.1.0
 */
export const maximumBytes = 64 * 1024

/**
 * Why a file's content is not the expected credentials.
 *
 * @since 0.1.0
 */
export type InvalidReason = "NotJson" | "NotAnObject" | "MissingField" | "EmptyField" | "NotAString" | "Ambiguous" | "TooLarge"

/**
 * Every {@link InvalidReason}, for schemas of the error.
 *
 * @since 0.1.0
 */
export const invalidReasons = [
  "NotJson",
  "NotAnObject",
  "MissingField",
  "EmptyField",
  "NotAString",
  "Ambiguous",
  "TooLarge"
] as const satisfies ReadonlyArray<InvalidReason>

/**
 * The message of `CredentialsFileNotFound`.
 *
 * @since 0.1.0
 */
export const notFoundMessage = (path: string, expected: string): string =>
  `No credentials file at ${path}. Create it with the content ${expected} and run: chmod 600 ${path}`

/**
 * The message of `CredentialsFileUnreadable`.
 *
 * @since 0.1.0
 */
export const unreadableMessage = (path: string, reason: string): string =>
  `Cannot read the credentials file ${path}: ${reason}. It must be a regular file that your user can read.`

/**
 * The permission bits as `ls -l` users know them, e.g. `644`.
 *
 * @since 0.1.0
 */
export const permissions = (mode: number): string => (mode & 0o777).toString(8).padStart(3, "0")

/**
 * Whether a file's mode lets its group or others read or write it.
 *
 * @since 0.1.0
 */
export const isShared = (mode: number): boolean => (mode & 0o077) !== 0

/**
 * The message of `InsecureCredentialsFile`.
 *
 * @since 0.1.0
 */
export const insecureMessage = (path: string, mode: number): string =>
  `The credentials file ${path} may be read by other users (permissions ${permissions(mode)}); ` +
  `it holds secrets, so only its owner may read it. Fix: chmod 600 ${path}`

/**
 * The message of `InvalidCredentialsFile`.
 *
 * @since 0.1.0
 */
export const invalidMessage = (invalid: {
  readonly path: string
  readonly reason: InvalidReason
  readonly field?: string | undefined
  readonly expected: string
  readonly position?: number | undefined
}): string => {
  const field = `"${invalid.field ?? "?"}"`
  const problem = {
    NotJson: `is not valid JSON${invalid.position !== undefined ? ` (at character ${invalid.position})` : ""}`,
    NotAnObject: "is not a JSON object",
    MissingField: `has no ${field} field`,
    EmptyField: `has an empty ${field} field`,
    NotAString: `has a ${field} field that is not a string`,
    Ambiguous: `holds two kinds of credentials (${invalid.field ?? "?"}); keep one`,
    TooLarge: `is too large to be a credentials file`
  }[invalid.reason]
  return `The credentials file ${invalid.path} ${problem}. Expected: ${invalid.expected}`
}

/**
 * The parsed JSON object of a file's text, or the problem with it: not JSON (with the position
 * where it stops being valid, never a quote of the text), or not a JSON object.
 *
 * @since 0.1.0
 */
export const parseObject = (
  text: string
):
  | { readonly _tag: "Object"; readonly object: Readonly<Record<string, unknown>> }
  | { readonly _tag: "Invalid"; readonly reason: "NotJson" | "NotAnObject"; readonly position?: number } =>
{
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1]
    return { _tag: "Invalid", reason: "NotJson", ...(position !== undefined ? { position: Number(position) } : {}) }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { _tag: "Object", object: value as Record<string, unknown> }
    : { _tag: "Invalid", reason: "NotAnObject" }
}

/**
 * The reason of a failed file system call, from its error code only.
 *
 * @since 0.1.0
 */
export const systemErrorReason = (code: string | undefined): string => {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "EISDIR":
      return "it is a directory"
    case "ENOTDIR":
      return "a part of the path is not a directory"
    case "ELOOP":
      return "too many levels of symbolic links"
    case "ENXIO":
    case "ENODEV":
    case "EOPNOTSUPP":
      return "it is not a regular file"
    case undefined:
      return "an I/O error"
    default:
      return `an I/O error (${code})`
  }
}

/**
 * The kinds of file that are not regular files, as a file system reports them.
 *
 * @since 0.1.0
 */
export type FileKind = "Directory" | "FIFO" | "CharacterDevice" | "BlockDevice" | "Socket" | "SymbolicLink" | "Unknown"

/**
 * What a file's status says of its kind: Node's `fs.Stats` and anything with its six checks fit.
 *
 * @since 0.1.0
 */
export interface FileTypeChecks {
  readonly isDirectory: () => boolean
  readonly isFIFO: () => boolean
  readonly isCharacterDevice: () => boolean
  readonly isBlockDevice: () => boolean
  readonly isSocket: () => boolean
  readonly isSymbolicLink: () => boolean
}

/**
 * The kind of a file that is not a regular file, from its status.
 *
 * @since 0.1.0
 */
export const kindOf = (info: FileTypeChecks): FileKind =>
  info.isDirectory()
    ? "Directory"
    : info.isFIFO()
    ? "FIFO"
    : info.isCharacterDevice()
    ? "CharacterDevice"
    : info.isBlockDevice()
    ? "BlockDevice"
    : info.isSocket()
    ? "Socket"
    : info.isSymbolicLink()
    ? "SymbolicLink"
    : "Unknown"

/**
 * Why a path that is not a regular file of `kind` cannot be a credentials file.
 *
 * @since 0.1.0
 */
export const notRegularFileReason = (kind: FileKind): string =>
  kind === "Directory" ? "it is a directory" : `it is not a regular file (${
    {
      FIFO: "FIFO",
      CharacterDevice: "character device",
      BlockDevice: "block device",
      Socket: "socket",
      SymbolicLink: "symbolic link",
      Unknown: "unknown type"
    }[kind]
  })`
