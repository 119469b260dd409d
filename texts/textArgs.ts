/** What a text about one section of the minutes needs to know of it. */
export interface SectionRef { number: string; title: string; firstPage: number; lastPage: number }
